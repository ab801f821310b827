// The AsyncAPI parser (@asyncapi/parser 3, with its built-in rules) as
// tooling runs it, offline, on a generated asyncapi.yaml. Prints its errors
// and warnings, the messages and operations it finds, the document as
// js-yaml reads it (to compare with what evcat meant to write), and, given
// a folder of example envelopes, each one's verdict against its message's
// payload schema (AJV, refs resolved within the document). Several
// documents in one process (the parser's start is most of a small one's
// time): one JSON line each, in order.
// Usage: node tests/clients/asyncapi.mjs ASYNCAPI.yaml EXAMPLES_DIR [ASYNCAPI.yaml EXAMPLES_DIR …]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "@asyncapi/parser";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import yaml from "js-yaml";

const parser = new Parser();

async function check(documentPath, examplesDir) {
  const text = readFileSync(documentPath, "utf8");
  const { document, diagnostics } = await parser.parse(text);
  const describe = (diagnostic) => `${diagnostic.code}: ${diagnostic.message} at /${diagnostic.path.join("/")}`;
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0).map(describe);
  const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 1).map(describe);
  if (!document) {
    return { errors, warnings, messages: [], operations: [], verdicts: [], yaml: null };
  }
  const messages = document.components().messages().all().map((message) => ({
    id: message.id(),
    name: message.name(),
  }));
  const operations = document.operations().all().map((operation) => ({
    id: operation.id(),
    action: operation.action(),
    summary: operation.summary() ?? null,
    channel: operation.channels().all().map((channel) => channel.address()),
    messages: operation.messages().all().map((message) => message.id()),
  }));

  const raw = yaml.load(text);
  const verdicts = [];
  if (examplesDir) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(raw, "asyncapi");
    for (const file of readdirSync(examplesDir).sort()) {
      const event = file.replace(/\.example\.json$/, "").replace(/\.catalog-\d+$/, "");
      const pointer = event.replaceAll("~", "~0").replaceAll("/", "~1");
      const validate = ajv.compile({ $ref: `asyncapi#/components/messages/${pointer}/payload` });
      const instance = JSON.parse(readFileSync(join(examplesDir, file), "utf8"));
      const valid = validate(instance);
      verdicts.push({
        name: file,
        valid,
        errors: valid ? [] : validate.errors.map((error) => `${error.instancePath} ${error.message}`),
      });
    }
  }
  return { errors, warnings, messages, operations, verdicts, yaml: raw };
}

const args = process.argv.slice(2);
for (let index = 0; index < args.length; index += 2) {
  console.log(JSON.stringify(await check(args[index], args[index + 1])));
}
