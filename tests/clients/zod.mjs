// The generated npm package with zod, as a consumer runs it: imported by its
// name from a folder whose node_modules holds it and zod. Given a corpus file
// ([{ "name", "instance" }]), prints one verdict per instance from
// `DomainEventSchema.safeParse`, after checking that `isDomainEvent` and
// `parseDomainEvent` (which throws on an invalid one) say the same.
// Usage: node zod.mjs PACKAGE_NAME [CORPUS.json]
import { readFileSync } from "node:fs";

const [packageName, corpusPath] = process.argv.slice(2);
const events = await import(packageName);
const schemas = Object.keys(events).filter((name) => name.endsWith("Schema"));

const verdicts = [];
if (corpusPath) {
  for (const { name, instance } of JSON.parse(readFileSync(corpusPath, "utf8"))) {
    const result = events.DomainEventSchema.safeParse(instance);
    let parsed = true;
    try {
      events.parseDomainEvent(instance);
    } catch (error) {
      if (error.name !== "DomainEventError") throw error;
      parsed = false;
    }
    if (parsed !== result.success || events.isDomainEvent(instance) !== result.success) {
      console.error(`${name}: parseDomainEvent, isDomainEvent and safeParse disagree`);
      process.exit(1);
    }
    const errors = result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    verdicts.push({ name, valid: result.success, errors });
  }
}
console.log(JSON.stringify({ compiled: schemas.length, verdicts }));
