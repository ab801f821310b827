"""python-jsonschema, as a consumer would run it.

Checks every *.schema.json of a folder against its metaschema, then, given a
corpus file ([{"name", "instance", "schema"?}]), prints one verdict per
instance against events.schema.json and, when a case names one, its event's
own schema too, with formats checked.
Usage: python tests/clients/jsonschema_check.py SCHEMA_DIR [CORPUS.json]
"""

import json
import pathlib
import sys

import jsonschema


def main() -> int:
    schema_dir = pathlib.Path(sys.argv[1])
    corpus = json.loads(pathlib.Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else []
    validators = {}
    for path in sorted(schema_dir.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        cls = jsonschema.validators.validator_for(schema)
        try:
            cls.check_schema(schema)
        except jsonschema.exceptions.SchemaError as error:
            print(f"{path.name}: {error.message}", file=sys.stderr)
            return 1
        validators[path.name] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    verdicts = []
    for case in corpus:
        errors = []
        for file in ["events.schema.json"] + ([case["schema"]] if case.get("schema") else []):
            validator = validators[file]
            errors += [f"{file}: {list(error.absolute_path)} {error.message}" for error in validator.iter_errors(case["instance"])]
        verdicts.append({"name": case["name"], "valid": not errors, "errors": errors})
    print(json.dumps({"compiled": len(validators), "verdicts": verdicts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
