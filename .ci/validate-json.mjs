// Validates JSON-with-comments files (devcontainer.json) against a JSON schema (draft-07) with ajv.
// usage: node .ci/validate-json.mjs SCHEMA FILE...   exit 0 when every file is valid, 1 otherwise.
// The node modules come from .ci/package.json (installed by .ci/run into .ci/node_modules).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const { parse, printParseErrorCode } = require("jsonc-parser");

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error("usage: node .ci/validate-json.mjs SCHEMA FILE...");
  process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

let failed = false;
for (const file of files) {
  const errors = [];
  const data = parse(readFileSync(file, "utf8"), errors, { allowTrailingComma: false });
  if (errors.length > 0) {
    failed = true;
    for (const e of errors) console.log(`${file}: JSONC parse error ${printParseErrorCode(e.error)} at offset ${e.offset}`);
    continue;
  }
  if (validate(data)) {
    console.log(`${file}: valid`);
  } else {
    failed = true;
    for (const e of validate.errors) {
      const where = e.instancePath || "/";
      const extra = e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : "";
      console.log(`${file}: ${where} ${e.message}${extra}`);
    }
  }
}
process.exit(failed ? 1 : 0);
