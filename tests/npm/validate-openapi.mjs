#!/usr/bin/env node
// Validates autoriza's OpenAPI document strictly as OpenAPI 3.1.
//
//   node tests/npm/validate-openapi.mjs FILE_OR_URL
//
// FILE_OR_URL is a JSON file, or an http(s) URL such as
// http://127.0.0.1:8080/openapi.json (fetched with Node's global fetch; when
// the environment has AUTORIZA_KEY, it is sent as "Authorization: Bearer KEY").
//
// Checks, all of them run and every error is printed with its JSON pointer
// (URI-fragment form: "#" is the document, "#/paths/~1v1~1x/get" an operation):
//   1. "openapi" is 3.1.x (a 3.0 or 3.2 document is an error, not validated
//      against its own schema).
//   2. The whole document against the official OpenAPI 3.1 JSON schema, as
//      shipped by @seriousme/openapi-schema-validator (all errors, formats on).
//   3. Every Schema Object against the JSON Schema 2020-12 meta-schema (the
//      official schema leaves Schema Objects unchecked; this is what the
//      spec's schema-base.json adds).
//   4. Every $ref resolves (each bad local ref is listed where it occurs), and
//      the validator's own reference check and dereferencing succeed.
//   5. Project conventions: every operation under "paths" has a non-empty
//      summary, an operationId, at least one 4xx response (4NN or 4XX), and
//      operationIds are unique.
//
// Exit: 0 valid ("openapi: valid (N paths, M operations)"), 1 invalid
// (including a body that is not JSON), 2 usage or I/O error (no argument,
// unreadable file, HTTP failure or non-2xx status).

import { readFile } from "node:fs/promises";
import process from "node:process";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const DIALECTS_2020 = new Set([
  "https://spec.openapis.org/oas/3.1/dialect/base",
  "https://json-schema.org/draft/2020-12/schema",
]);

const errors = []; // [{ pointer, message }]
const fail = (pointer, message) => errors.push({ pointer, message });

function usageError(message) {
  process.stderr.write(`validate-openapi: ${message}\n`);
  process.exit(2);
}

// ---- JSON pointers --------------------------------------------------------

const escapeToken = (t) => String(t).replace(/~/g, "~0").replace(/\//g, "~1");
const unescapeToken = (t) => t.replace(/~1/g, "/").replace(/~0/g, "~");
const ptr = (...tokens) => "#" + tokens.map((t) => "/" + escapeToken(t)).join("");
const child = (pointer, ...tokens) => pointer + tokens.map((t) => "/" + escapeToken(t)).join("");
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

// Resolves a local "#/a/b" reference in doc; undefined when it does not resolve.
function resolveLocal(doc, ref) {
  if (ref === "#") return doc;
  if (!ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    let token;
    try {
      token = unescapeToken(decodeURIComponent(raw));
    } catch {
      return undefined;
    }
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, token)) return undefined;
    node = node[token];
  }
  return node;
}

// ---- input ----------------------------------------------------------------

async function load(source) {
  let text;
  if (/^https?:\/\//i.test(source)) {
    const headers = { Accept: "application/json" };
    const key = process.env.AUTORIZA_KEY;
    if (key) headers.Authorization = /\s/.test(key.trim()) ? key.trim() : `Bearer ${key.trim()}`;
    let res;
    try {
      res = await fetch(source, { headers, signal: AbortSignal.timeout(15000) });
      text = await res.text();
    } catch (e) {
      usageError(`cannot fetch ${source}: ${e.cause?.message || e.message}`);
    }
    if (!res.ok) usageError(`GET ${source}: HTTP ${res.status}: ${text.slice(0, 200)}`);
  } else {
    try {
      text = await readFile(source, "utf8");
    } catch (e) {
      usageError(`cannot read ${source}: ${e.message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail("#", `not JSON: ${e.message}`);
    return undefined;
  }
}

// ---- 2. the official OpenAPI 3.1 schema ------------------------------------

function ajvMessage(e) {
  const p = e.params || {};
  if (e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties") {
    const name = p.additionalProperty ?? p.unevaluatedProperty;
    return `${e.message}: '${name}'`;
  }
  if (e.keyword === "enum") return `${e.message}: ${JSON.stringify(p.allowedValues)}`;
  if (e.keyword === "const") return `${e.message}: ${JSON.stringify(p.allowedValue)}`;
  return e.message;
}

// Ajv reports, beside the real error, the branches it tried (if/then, oneOf,
// anyOf, ...): those say only "must match ..." and are dropped when a more
// precise error exists; duplicates are dropped too.
function reportAjvErrors(ajvErrors, base) {
  const seen = new Set();
  const combinators = new Set(["if", "oneOf", "anyOf", "allOf", "not", "then", "else", "$ref", "$dynamicRef"]);
  const precise = ajvErrors.filter((e) => !combinators.has(e.keyword));
  for (const e of precise.length ? precise : ajvErrors) {
    const pointer = base + e.instancePath.replace(/^#/, "");
    const line = `${pointer}\u0000${ajvMessage(e)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    fail(pointer || "#", ajvMessage(e));
  }
}

async function validateAgainstOfficialSchema(doc) {
  const validator = new Validator({ allErrors: true });
  // Structured clone: the library may annotate the object it is given.
  const res = await validator.validate(structuredClone(doc));
  if (res.valid) {
    if (validator.version !== "3.1") fail("#/openapi", `validated as ${validator.version}, not 3.1`);
    try {
      validator.resolveRefs();
    } catch (e) {
      fail("#", `cannot dereference: ${e.message}`);
    }
    return;
  }
  if (Array.isArray(res.errors)) {
    reportAjvErrors(res.errors, "#");
  } else if (typeof res.errors === "string") {
    // A reference error from the library's own $ref check: say where the ref is,
    // unless the local-ref walk below already reported it.
    const m = /^Can't resolve (\S+?)(,|$)/.exec(res.errors);
    if (m) return { refMessage: res.errors, ref: m[1] };
    fail("#", res.errors);
  }
  return undefined;
}

// ---- 3. Schema Objects against the JSON Schema 2020-12 meta-schema ----------

// Positions that hold a Schema Object in an OpenAPI 3.1 document.
function collectSchemaObjects(doc) {
  const found = []; // [{ pointer, schema }]
  const add = (pointer, schema) => {
    if (isObject(schema) || typeof schema === "boolean") found.push({ pointer, schema });
  };
  const content = (c, p) => {
    if (!isObject(c)) return;
    for (const [mt, media] of Object.entries(c)) if (isObject(media)) add(child(p, mt, "schema"), media.schema);
  };
  const paramOrHeader = (x, p) => {
    if (!isObject(x) || "$ref" in x) return;
    add(child(p, "schema"), x.schema);
    content(x.content, child(p, "content"));
  };
  const response = (r, p) => {
    if (!isObject(r) || "$ref" in r) return;
    content(r.content, child(p, "content"));
    if (isObject(r.headers)) for (const [h, x] of Object.entries(r.headers)) paramOrHeader(x, child(p, "headers", h));
  };
  const requestBody = (b, p) => {
    if (isObject(b) && !("$ref" in b)) content(b.content, child(p, "content"));
  };
  const operation = (op, p, depth) => {
    if (!isObject(op)) return;
    if (Array.isArray(op.parameters)) op.parameters.forEach((x, i) => paramOrHeader(x, child(p, "parameters", i)));
    requestBody(op.requestBody, child(p, "requestBody"));
    if (isObject(op.responses)) for (const [code, r] of Object.entries(op.responses)) response(r, child(p, "responses", code));
    if (isObject(op.callbacks) && depth < 3) {
      for (const [name, cb] of Object.entries(op.callbacks)) {
        if (isObject(cb) && !("$ref" in cb)) {
          for (const [expr, item] of Object.entries(cb)) pathItem(item, child(p, "callbacks", name, expr), depth + 1);
        }
      }
    }
  };
  const pathItem = (item, p, depth = 0) => {
    if (!isObject(item)) return;
    if (Array.isArray(item.parameters)) item.parameters.forEach((x, i) => paramOrHeader(x, child(p, "parameters", i)));
    for (const m of METHODS) operation(item[m], child(p, m), depth);
  };
  if (isObject(doc.paths)) for (const [path, item] of Object.entries(doc.paths)) pathItem(item, ptr("paths", path));
  if (isObject(doc.webhooks)) for (const [name, item] of Object.entries(doc.webhooks)) pathItem(item, ptr("webhooks", name));
  const comp = isObject(doc.components) ? doc.components : {};
  const each = (kind, fn) => {
    if (isObject(comp[kind])) for (const [name, x] of Object.entries(comp[kind])) fn(x, ptr("components", kind, name));
  };
  each("schemas", (s, p) => add(p, s));
  each("parameters", paramOrHeader);
  each("headers", paramOrHeader);
  each("responses", response);
  each("requestBodies", requestBody);
  each("pathItems", (item, p) => pathItem(item, p));
  return found;
}

function validateSchemaObjects(doc) {
  const dialect = doc.jsonSchemaDialect;
  if (dialect !== undefined && !DIALECTS_2020.has(dialect)) return; // another dialect: not ours to check
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  for (const { pointer, schema } of collectSchemaObjects(doc)) {
    if (isObject(schema) && typeof schema.$schema === "string" && !DIALECTS_2020.has(schema.$schema)) continue;
    if (!ajv.validateSchema(schema)) reportAjvErrors(ajv.errors || [], pointer);
  }
}

// ---- 4. references ------------------------------------------------------------

// Keys whose values are data (examples, defaults), not document structure.
const DATA_KEYS = new Set(["example", "default", "const", "enum", "value"]);

function checkLocalRefs(doc) {
  const bad = new Set();
  const walk = (node, pointer) => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, child(pointer, i)));
      return;
    }
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") {
        if (v.startsWith("#") && resolveLocal(doc, v) === undefined) {
          fail(child(pointer, "$ref"), `unresolvable reference "${v}"`);
          bad.add(v);
        } else if (!v.startsWith("#")) {
          // The document is served as one file: it must be self-contained.
          fail(child(pointer, "$ref"), `external reference "${v}": the document must be self-contained`);
          bad.add(v);
        }
        continue;
      }
      if (DATA_KEYS.has(k)) continue;
      if (k === "examples" && Array.isArray(v)) continue; // Schema Object examples: data
      walk(v, child(pointer, k));
    }
  };
  walk(doc, "#");
  return bad;
}

// Where a given $ref string first occurs (for the library's one-line ref error).
function findRef(doc, ref) {
  let where;
  const walk = (node, pointer) => {
    if (where !== undefined || node === null || typeof node !== "object") return;
    if (!Array.isArray(node) && node.$ref === ref) {
      where = child(pointer, "$ref");
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, child(pointer, k));
  };
  walk(doc, "#");
  return where || "#";
}

// ---- 5. project conventions ---------------------------------------------------

function checkConventions(doc) {
  let nPaths = 0;
  let nOps = 0;
  if (!isObject(doc.paths)) return { nPaths, nOps };
  const ids = new Map(); // operationId -> pointer of its first use
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    nPaths++;
    let item = rawItem;
    if (isObject(item) && typeof item.$ref === "string") item = { ...resolveLocal(doc, item.$ref), ...item };
    if (!isObject(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (op === undefined) continue;
      nOps++;
      const p = ptr("paths", path, m);
      if (!isObject(op)) continue; // the schema check reports it
      const where = `${m.toUpperCase()} ${path}`;
      if (typeof op.summary !== "string" || op.summary.trim() === "") {
        fail(p, `${where}: operation has no non-empty "summary" (project convention)`);
      }
      if (typeof op.operationId !== "string" || op.operationId.trim() === "") {
        fail(p, `${where}: operation has no "operationId" (project convention)`);
      } else if (ids.has(op.operationId)) {
        fail(child(p, "operationId"), `${where}: operationId "${op.operationId}" is already used at ${ids.get(op.operationId)}`);
      } else {
        ids.set(op.operationId, child(p, "operationId"));
      }
      const codes = isObject(op.responses) ? Object.keys(op.responses) : [];
      if (!codes.some((c) => /^4([0-9]{2}|XX)$/i.test(c))) {
        fail(child(p, "responses"), `${where}: operation declares no 4xx response (project convention)`);
      }
    }
  }
  return { nPaths, nOps };
}

// ---- main -------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    process.stderr.write("usage: node tests/npm/validate-openapi.mjs FILE_OR_URL\n" +
      "  FILE_OR_URL: an OpenAPI 3.1 JSON file, or e.g. http://127.0.0.1:8080/openapi.json\n" +
      "  env AUTORIZA_KEY: API key sent as 'Authorization: Bearer KEY' with a URL\n");
    process.exit(2);
  }
  const doc = await load(args[0]);
  let counts = { nPaths: 0, nOps: 0 };
  if (doc !== undefined && !isObject(doc)) {
    fail("#", "the document must be a JSON object");
  } else if (doc !== undefined) {
    // 1. The version: only 3.1.x; anything else is still checked against the
    // 3.1 schema so that every other problem shows up in the same run.
    let asDoc = doc;
    if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) {
      fail("#/openapi", `must be "3.1.x" (found ${JSON.stringify(doc.openapi)})`);
      asDoc = { ...doc, openapi: "3.1.0" };
      delete asDoc.swagger;
    }
    const libRef = await validateAgainstOfficialSchema(asDoc);
    validateSchemaObjects(doc);
    const badRefs = checkLocalRefs(doc);
    if (libRef && !badRefs.has(libRef.ref)) fail(findRef(doc, libRef.ref), libRef.refMessage);
    counts = checkConventions(doc);
  }
  if (errors.length) {
    for (const { pointer, message } of errors) process.stdout.write(`error: ${pointer}: ${message}\n`);
    process.stdout.write(`openapi: INVALID (${errors.length} error${errors.length === 1 ? "" : "s"}) in ${args[0]}\n`);
    process.exit(1);
  }
  process.stdout.write(`openapi: valid (${counts.nPaths} paths, ${counts.nOps} operations)\n`);
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`validate-openapi: internal error: ${e.stack || e}\n`);
  process.exit(2);
});
