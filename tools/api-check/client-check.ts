// Uses the client types generated from the merged document the way a web or phone app would;
// `tsc --strict` must accept every line, and each `@ts-expect-error` line must be refused (so
// the contract's closed sets and shapes are really in the types).
import type { components, operations, paths } from "./build/api";

type Schemas = components["schemas"];

// Geography is one of two values, in records and in filters.
const given: Schemas["HousingCaseRead"]["geography"] = "2025-07";
// @ts-expect-error: not a geography
const wrong: Schemas["HousingCaseRead"]["geography"] = "2025-09";
type CaseFilters = NonNullable<operations["housing.cases.list"]["parameters"]["query"]>;
const filter: CaseFilters["geography"] = "2025-01";

// Audit changes are [old, new] per field (or the word a secret's change leaves).
const changes: Schemas["HousingAuditEntry"]["changes"] = {
  status: ["registered", "surveyed"],
  notes: [null, "first visit"],
  milestones: [null, [{ due_on: "2026-06-30", completed_target: 10 }]],
  password: "changed",
};
// @ts-expect-error: a change is a pair, not a lone value
const lone: Schemas["HousingAuditEntry"]["changes"] = { status: "surveyed" };

// Every error body is the one Problem; a 422 names its fields.
type CreateCase = operations["housing.cases.create"];
const problem: CreateCase["responses"][422]["content"]["application/problem+json"] = {
  type: "/problems/validation",
  title: "Validation failed",
  status: 422,
  detail: "body.amount_vnd: must be at least 0",
  instance: "/api/v1/housing/cases",
  request_id: null,
  errors: [{ field: "body.amount_vnd", code: "out_of_range", message: "must be at least 0" }],
};
// @ts-expect-error: a field error's code is one of the contract's codes
const badCode: Schemas["FieldError"]["code"] = "too_big";
// @ts-expect-error: not one of the contract's problem types
const untyped: Schemas["Problem"]["type"] = "/problems/whatever";

// A change needs If-Match; the paths and operation ids are the contract's.
type UpdateCase = paths["/api/v1/housing/cases/{case_id}"]["patch"];
const ifMatch: UpdateCase["parameters"]["header"]["If-Match"] = '"3"';
type Token = operations["auth.token"]["responses"][200]["content"]["application/json"];
const token: Token = { access_token: "x", token_type: "bearer", expires_in: 900 };
type Keys = operations["auth.jwks.get"]["responses"][200]["content"]["application/json"];
const keys: Keys = { keys: [{ kty: "RSA", kid: "k", alg: "RS256", use: "sig", n: "n", e: "AQAB" }] };

export const uses = [given, wrong, filter, changes, lone, problem, untyped, ifMatch, token, keys];
