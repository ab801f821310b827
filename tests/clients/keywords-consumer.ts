// Keyword field names stay usable from TypeScript (the keywords fixture).
import type { JobScheduled } from "../../codegen/tests/fixtures/keywords/expected/typescript/events";

export function fields(job: JobScheduled): string[] {
  return [job.type, job.self, job.default, job.async, job.match ?? "", job.kind];
}
