"""python-jsonschema, as a consumer would run it.

Checks every *.schema.json of a folder against its metaschema, then, given a
corpus file ([{"name", "instance", "schema"?}]), prints one verdict per
instance against events.schema.json and, when a case names one, its event's
own schema too, with formats checked. A large corpus (tens of thousands of
webhook payloads) is judged by one process per core, in corpus order.
Usage: python tests/clients/jsonschema_check.py SCHEMA_DIR [CORPUS.json]
"""

import json
import multiprocessing
import os
import pathlib
import sys

import jsonschema

# Read by the worker processes, which fork after both are set.
VALIDATORS = {}
CORPUS = []


def verdict(index: int) -> dict:
    case = CORPUS[index]
    errors = []
    for file in ["events.schema.json"] + ([case["schema"]] if case.get("schema") else []):
        validator = VALIDATORS[file]
        errors += [f"{file}: {list(error.absolute_path)} {error.message}" for error in validator.iter_errors(case["instance"])]
    return {"name": case["name"], "valid": not errors, "errors": errors}


def main() -> int:
    schema_dir = pathlib.Path(sys.argv[1])
    CORPUS.extend(json.loads(pathlib.Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else [])
    for path in sorted(schema_dir.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        cls = jsonschema.validators.validator_for(schema)
        try:
            cls.check_schema(schema)
        except jsonschema.exceptions.SchemaError as error:
            print(f"{path.name}: {error.message}", file=sys.stderr)
            return 1
        VALIDATORS[path.name] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    cores = os.cpu_count() or 1
    if len(CORPUS) > 500 and cores > 1:
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            verdicts = pool.map(verdict, range(len(CORPUS)), chunksize=32)
    else:
        verdicts = [verdict(index) for index in range(len(CORPUS))]
    print(json.dumps({"compiled": len(VALIDATORS), "verdicts": verdicts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
