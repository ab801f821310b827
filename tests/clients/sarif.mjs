// AJV validating SARIF logs against the official SARIF 2.1.0 JSON Schema
// (a Draft-04 schema, so AJV's Draft-04 class), as a SARIF consumer such as
// GitHub code scanning requires. Prints "valid" per report, or the errors
// and exits 1.
// Usage: node tests/clients/sarif.mjs SARIF_SCHEMA REPORT.sarif...
import { readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const [schemaPath, ...reports] = process.argv.slice(2);
// Not strict: the OASIS schema itself trips strict mode (`strictRequired`:
// an `anyOf` branch requires `index`, declared only beside it). Strictness
// is about schema authoring; instances are validated the same either way.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
let failed = false;
for (const report of reports) {
  if (validate(JSON.parse(readFileSync(report, "utf8")))) {
    console.log(`${report}: valid`);
  } else {
    failed = true;
    console.log(`${report}: ${JSON.stringify(validate.errors, null, 2)}`);
  }
}
process.exit(failed ? 1 : 0);
