"""The OpenAPI document, made valid (OpenAPI 3.1) and complete about error answers.

Django Ninja builds the document from each operation's auth classes and declared responses. Two
things came out wrong, and tools such as schemathesis refused half the operations because of them:

- Security schemes: Wagtail's ``AllowAnonymous`` and our ``PublicAccess`` are ``http`` schemes
  with no ``scheme``, and allauth's ``XSessionTokenAuth`` is an ``apiKey`` with no ``name`` or
  ``in``. "Anyone may call this" is an empty security requirement (``{}``) in OpenAPI, so the
  anonymous schemes become that, and the session token is described as the header it is.
- Error answers: operations declared only their success. Every operation here can answer the
  errors below, for reasons that are the same across the API (core.middleware's input guard,
  ninja's validation, the auth classes, core.errors' domain errors, the capacity lock), so they
  are declared by those rules, each as RFC 7807 problem+json.

:func:`install` wraps the API's ``get_openapi_schema`` once, from core's ``ready()``.
"""

from wagtail.api.v3.errors import PROBLEM_JSON

ANONYMOUS_SCHEMES = ("AllowAnonymous", "PublicAccess")
WRITES = {"post", "put", "patch", "delete"}
#: An operation's extension naming the 409 ``code``s a read can answer (writes may always 409).
CONFLICT_CODES = "x-conflict-codes"
METHODS = WRITES | {"get", "head", "options"}

DESCRIPTIONS = {
    400: "Malformed request: bad JSON, a body nested too deeply, a NUL character or an unusable "
         "search in the query",
    401: "Not logged in: no valid session token, session or bearer token",
    403: "Logged in, but not allowed to do this",
    404: "No such object, or not visible to the caller",
    409: "Refused by a business rule (full, closed, already done); `code` says which",
    422: "Input does not validate (wrong type, out of range, missing field)",
    429: "Too many requests: anonymous writes are throttled per address",
    503: "Busy: a lock could not be taken in time; try again",
}

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 7807 problem details; `code` is machine-readable where there is one.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": ["string", "null"]},
    },
    "required": ["status"],
}

SESSION_TOKEN_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-Session-Token",
    "description": "allauth's app session token (from /_allauth/app/v1/auth/login or signup).",
}


def error_statuses(method, operation, public):
    """Which error answers an operation can give, by the rules the whole API follows."""
    parameters = operation.get("parameters", [])
    has_input = bool(parameters) or "requestBody" in operation
    # 404 anywhere: an address no operation matches, an id or filter naming nothing visible, or
    # a "mine" that does not exist yet (a member without a party record).
    statuses = {400, 404}
    if not public:
        statuses |= {401, 403}
    if has_input:
        statuses.add(422)
    if operation.get(CONFLICT_CODES):
        # A read a business rule can refuse (a certificate not earned yet), declared by its
        # route with openapi_extra={"x-conflict-codes": [...]}.
        statuses.add(409)
    if method in WRITES:
        # Anyone's write may be throttled (before auth is known), refused by a rule, or meet a
        # held lock; and a write on a public operation may still be refused to this caller.
        statuses |= {403, 409, 422, 429, 503}
    return statuses


#: What the input guard (core.middleware) holds integers to: what a database column can store.
BIGINT = 2**63 - 1
#: A search the guard accepts: some non-blank character, and double quotes in pairs.
SEARCH_PATTERNS = ({"pattern": "\\S"}, {"pattern": '^[^"]*("[^"]*"[^"]*)*$'})


def bound_integers(schema):
    """Declare the range the input guard enforces on every integer without one, so generated
    "valid" input is what the API takes (a client learns the limit from the document)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if node.get("type") == "integer":
            node.setdefault("maximum", BIGINT)
            node.setdefault("minimum", -BIGINT)
        stack.extend(value for key, value in node.items() if isinstance(value, (dict, list)))


def declares_problem(response: dict) -> bool:
    """A route that declares ``400: Problem`` itself means our problem answer, described as ours."""
    return any(
        media.get("schema", {}).get("$ref", "").endswith("/Problem")
        for media in response.get("content", {}).values()
    )


def fix_document(document: dict) -> dict:
    components = document.setdefault("components", {})
    schemes = components.setdefault("securitySchemes", {})
    for name in ANONYMOUS_SCHEMES:
        schemes.pop(name, None)
    if "XSessionTokenAuth" in schemes:
        schemes["XSessionTokenAuth"] = dict(SESSION_TOKEN_SCHEME)
    components.setdefault("schemas", {}).setdefault("Problem", PROBLEM_SCHEMA)
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}

    for methods in document.get("paths", {}).values():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            security = operation.get("security")
            public = security is None
            if security:
                kept = [req for req in security if not set(req) & set(ANONYMOUS_SCHEMES)]
                public = len(kept) < len(security)
                operation["security"] = kept + ([{}] if public else [])
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") == "search":
                    parameter.setdefault("schema", {}).setdefault("allOf", [dict(p) for p in SEARCH_PATTERNS])
            # Ninja keys declared responses by int; ours are strings. One key per status, or the
            # JSON holds both "400" and 400 as "400" twice and Swagger UI refuses the document.
            responses = operation["responses"] = {str(k): v for k, v in operation.get("responses", {}).items()}
            for status in sorted(error_statuses(method, operation, public)):
                if str(status) not in responses or declares_problem(responses[str(status)]):
                    responses[str(status)] = {"description": DESCRIPTIONS[status], "content": problem}
    bound_integers(document.get("paths", {}))
    bound_integers(components.get("schemas", {}))
    return document


def install(api):
    """Make ``api``'s document valid and complete (once; ready() may run twice in tests)."""
    if getattr(api.get_openapi_schema, "fengchao_fixed", False):
        return
    original = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        return fix_document(original(*args, **kwargs))

    get_openapi_schema.fengchao_fixed = True
    api.get_openapi_schema = get_openapi_schema


def register_typed_json_fields():
    """Wagtail's page API documents a ``core.fields.TypedJSONField`` by its ``api_type``."""
    from wagtail.api.v3.schemas.generators.read import read_generator
    from wagtail.api.v3.schemas.generators.write import create_generator, patch_generator

    from core.fields import TypedJSONField

    def read_schema(generator, field):
        return (field.api_type or object), None, None

    def write_schema(generator, field):
        return (field.api_type or object), field.get_default()

    read_generator.register_field_schema(TypedJSONField, read_schema)
    create_generator.register_field_schema(TypedJSONField, write_schema)
    patch_generator.register_field_schema(TypedJSONField, write_schema)
