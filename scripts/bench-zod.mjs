// Validation speed of the generated package's zod schema beside AJV's
// compiled validator, on the same events: the project's example envelopes,
// repeated with fresh ids to N events. Each validator runs over all of them
// three times; the best run counts. Prints events per second and the ratio.
// Usage: node scripts/bench-zod.mjs [N]   (from the repository root, after npm ci)
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { DomainEventSchema } from "../generated/typescript/index.js";

const count = Number(process.argv[2] ?? 100000);
const examples = readdirSync("generated/examples")
  .sort()
  .map((file) => JSON.parse(readFileSync(join("generated/examples", file), "utf8")));
const events = Array.from({ length: count }, (_, index) => {
  const event = structuredClone(examples[index % examples.length]);
  event.event_id = `01JC9ZAFDN7X2MJ7GAX4J${String(index % 100000).padStart(5, "0")}`;
  return event;
});

const bundle = JSON.parse(readFileSync("generated/schemas/events.schema.json", "utf8"));
// As the tests run AJV (every error reported), and as a service that only
// wants the verdict would (stops at the first error).
function compile(allErrors) {
  const ajv = new Ajv({ strict: true, allErrors });
  addFormats(ajv);
  ajv.addKeyword("x-pii");
  return ajv.compile(bundle);
}
const validateAll = compile(true);
const validateFirst = compile(false);

function best(check) {
  let fastest = Infinity;
  for (let run = 0; run < 3; run += 1) {
    const start = process.hrtime.bigint();
    let valid = 0;
    for (const event of events) valid += check(event) ? 1 : 0;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (valid !== events.length) throw new Error(`only ${valid} of ${events.length} events valid`);
    fastest = Math.min(fastest, seconds);
  }
  return events.length / fastest;
}

const ajvAllRate = best((event) => validateAll(event));
const ajvFirstRate = best((event) => validateFirst(event));
const zodRate = best((event) => DomainEventSchema.safeParse(event).success);
const format = (rate) => `${Math.round(rate).toLocaleString("en-US")} events/s`;
console.log(`events: ${events.length} (${examples.length} kinds), node ${process.version}`);
console.log(`zod DomainEventSchema.safeParse:        ${format(zodRate)}`);
console.log(`AJV events.schema.json, allErrors:     ${format(ajvAllRate)} (zod ${(zodRate / ajvAllRate).toFixed(1)}x)`);
console.log(`AJV events.schema.json, first error:   ${format(ajvFirstRate)} (zod ${(zodRate / ajvFirstRate).toFixed(1)}x)`);
