// AJV in strict mode, as a consumer would run it. Compiles every
// *.schema.json of a folder (failing on any unknown keyword or format), then,
// given a corpus file ([{ "name", "instance", "schema"? }]), prints one verdict
// per instance against events.schema.json and, when a case names one, its
// event's own schema too: { "name", "valid", "errors" }.
// Usage: node tests/clients/ajv.mjs SCHEMA_DIR [CORPUS.json]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemaDir, corpusPath] = process.argv.slice(2);
const files = readdirSync(schemaDir).filter((name) => name.endsWith(".schema.json")).sort();
const schemas = files.map((name) => JSON.parse(readFileSync(join(schemaDir, name), "utf8")));
const draft2020 = schemas.some((schema) => String(schema.$schema).includes("2020-12"));
const ajv = new (draft2020 ? Ajv2020 : Ajv)({ strict: true, allErrors: true });
addFormats(ajv);
// evcat's one vendor keyword marks personal data; strict mode wants it declared.
ajv.addKeyword("x-pii");

const validators = new Map();
for (const [index, schema] of schemas.entries()) {
  try {
    validators.set(files[index], ajv.compile(schema));
  } catch (error) {
    console.error(`${files[index]}: ${error.message}`);
    process.exit(1);
  }
}

const verdicts = [];
if (corpusPath) {
  for (const { name, instance, schema } of JSON.parse(readFileSync(corpusPath, "utf8"))) {
    const errors = [];
    for (const file of ["events.schema.json", ...(schema ? [schema] : [])]) {
      const validate = validators.get(file);
      if (!validate) {
        console.error(`${name}: no schema ${file}`);
        process.exit(1);
      }
      if (!validate(instance)) {
        errors.push(...validate.errors.map((error) => `${file}: ${error.instancePath} ${error.message}`));
      }
    }
    verdicts.push({ name, valid: errors.length === 0, errors });
  }
}
console.log(JSON.stringify({ compiled: validators.size, verdicts }));
