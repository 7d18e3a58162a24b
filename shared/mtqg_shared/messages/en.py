"""English: plain words, for people who read English and for logs. Same keys and placeholders
as `vi.py` (see `mtqg_shared.messages` for how keys are named)."""

MESSAGES: dict[str, str] = {
    # -- problem titles, by problem type ------------------------------------------------
    "title.bad-request": "Bad request",
    "title.unauthorized": "Authentication required",
    "title.forbidden": "Forbidden",
    "title.not-found": "Not found",
    "title.method-not-allowed": "Method not allowed",
    "title.duplicate": "Duplicate",
    "title.invalid-state": "Invalid state",
    "title.idempotency-in-flight": "Request with this Idempotency-Key still running",
    "title.idempotency-mismatch": "Idempotency-Key reused with another body",
    "title.precondition-failed": "Precondition failed",
    "title.payload-too-large": "Payload too large",
    "title.unsupported-media-type": "Unsupported media type",
    "title.validation": "Validation failed",
    "title.precondition-required": "Precondition required",
    "title.period-locked": "Period locked",
    "title.cursor-expired": "Cursor expired",
    "title.cursor-reset": "Cursor reset",
    "title.rate-limited": "Too many requests",
    "title.internal": "Internal error",
    "title.bad-gateway": "Bad gateway",
    "title.service-unavailable": "Service unavailable",
    "title.service-timeout": "Service timeout",
    # -- what the framework refuses by itself, by status ---------------------------------
    "http": "The request cannot be served.",
    "http.400": "The request cannot be read.",
    "http.401": "Authentication required.",
    "http.403": "Forbidden.",
    "http.404": "No such resource.",
    "http.405": "This method is not allowed here.",
    "http.406": "No acceptable representation of this resource.",
    "http.413": "The body is too large.",
    "http.415": "The body's media type is not supported.",
    "http.422": "The request is not valid.",
    "http.500": "An unexpected error occurred; it has been logged.",
    # -- every service ------------------------------------------------------------------
    "invalid_request": "The request is not valid.",
    "json_invalid": "The body is not valid JSON.",
    "internal": "An unexpected error occurred; it has been logged.",
    "database_unavailable": "The database is unavailable for a moment; try again shortly.",
    "database_not_ready": "The database does not answer.",
    "body_too_large": "The body is larger than {limit} bytes.",
    "body_untyped": "The body must be JSON (application/json); it has no type.",
    "body_not_json": "The body must be JSON (application/json), not {media}.",
    "unknown_query": "Unknown query parameter: {names}",
    "cursor_unknown": "The cursor is not one this service gave out.",
    "cursor_reset": (
        "Your areas, roles or scopes changed since this cursor was given: sync again from the "
        "start of the feed (no cursor)."
    ),
    "cursor_expired": (
        "This cursor is older than the {days} days changes are kept: sync again from the "
        "start of the feed (no cursor)."
    ),
    "not_found": "No such {what}.",
    "area_outside": "No such area within your areas.",
    "partly_outside": "This {what} lies partly outside your areas; you may only read it.",
    "id_taken": "{what:A} with this id already exists.",
    "changed_meanwhile": "The {what} changed meanwhile; read it again.",
    "status_move": "{what:A} that is {current} cannot move to {to} (allowed: {allowed}).",
    "already_reversed": "This {what} has already been reversed.",
    "period_locked": (
        "The reporting period {period} of area {area} is approved and locked: records dated"
        " inside it cannot be written until an admin reopens its report."
    ),
    "period_report_exists": "A report of period {period} for area {area} exists already.",
    "period_report_moved_meanwhile": "This period report was moved meanwhile; read it again.",
    "reversed_or_id_taken": "This {what} has already been reversed, or its id is taken.",
    "idempotency_in_flight": "A request with this Idempotency-Key is still running.",
    "idempotency_mismatch": "This Idempotency-Key was used with another request body.",
    "idempotency_never_replayed": (
        "This Idempotency-Key was already used; this request is never replayed."
    ),
    "not_saved": "The change was not saved; nothing was written.",
    "project_id_or_code_taken": "A project with this id or code already exists.",
    "norm_set_meanwhile": "This norm was set meanwhile; send it again.",
    "case_or_open_case_exists": "This case or an open case of this household exists.",
    "profile_created_meanwhile": "This profile was created meanwhile; put it again.",
    "if_match_missing": "Send If-Match with the ETag of the record you read.",
    "if_match_stale": "The record has changed since you read it (current version {version}).",
    "access_token.required": "A bearer access token is required.",
    "access_token.malformed": "The access token is malformed.",
    "access_token.algorithm": "The access token is not signed with the expected algorithm.",
    "access_token.unknown_key": "The access token is signed with an unknown key.",
    "access_token.expired": "The access token has expired.",
    "access_token.invalid": "The access token is not valid.",
    "access_token.unknown_kind": "The access token names no known kind of caller.",
    "access_token.claims": "The access token's claims are malformed.",
    "forbidden.read_role": "Your roles do not allow reading here.",
    "forbidden.write_role": "Creating and editing needs the officer role.",
    "forbidden.scope": "This client lacks the scope {scope}.",
    "forbidden.approval_clients": "Approval steps are for people only.",
    "forbidden.report_clients": "Period reports are submitted by officers, not by other systems.",
    "forbidden.approver_role": "This step needs the approver role.",
    "forbidden.approver_step": "This step of {what:a} needs the approver role.",
    "forbidden.admin_role": "This needs the admin role.",
    "forbidden.webhooks": "Only system clients and admins manage webhooks.",
    "forbidden.webhook_client": "A system client subscribes webhooks for itself only.",
    "forbidden.held_role": "This needs the {role} role.",
    "forbidden.protection_grant": (
        "Only an admin whose areas cover all of this person's areas may grant the protection role."
    ),
    "hint.old_commune": "it is a {geography} commune, now part of {successor}",
    "hint.new_commune": "it is a {geography} commune",
    # -- the gateway --------------------------------------------------------------------
    "rate_limited": "Too many requests from this caller; slow down.",
    "upstream_unavailable": "The {service} service cannot be reached.",
    "upstream_timeout": "The {service} service did not answer in time.",
    "upstream_bad_answer": "The {service} service gave a broken answer.",
    "service_refused": "The {service} service refused the request.",
    "views_none_readable": "Your roles or scopes allow reading none of the programmes.",
    "household_unknown": "No programme knows this household within your areas.",
    "unit_unknown": "No unit {code} exists.",
    "unit_unknown_in_geography": "No unit {code} exists in geography {geography}.",
    "username_taken": "A user with this username already exists.",
    "signin_throttled": "Too many failed sign-ins; wait before trying again.",
    "token.wrong_password": "The username or password is wrong, or the account is disabled.",
    "token.wrong_client": "Client authentication failed.",
    "token.password_fields": "username and password are required.",
    "token.client_fields": "Client credentials are required (form or HTTP Basic).",
    "token.client_disabled": "This client is disabled.",
    "token.client_twice": "Send client credentials either in the form or in Basic.",
    "token.scope": "The requested scope is unknown or exceeds the client's scopes.",
    "token.refresh_field": "refresh_token is required.",
    "token.refresh_invalid": "The refresh token is not valid.",
    "token.refresh_reused": (
        "This refresh token was already used; every token of that sign-in is now revoked. "
        "Sign in again."
    ),
    "token.refresh_expired": "The refresh token has expired; sign in again.",
    "token.refresh_stale": (
        "The account was disabled or its password, roles or areas changed; sign in again."
    ),
    "token.field_repeated": "{name} may be sent only once.",
    "token.field_not_plain": "{name} must be a plain form field.",
    "token.basic_malformed": "The Basic credentials are malformed.",
    "token.not_form": "The token request must be form-encoded.",
    "token.grant_missing": "grant_type is required.",
    "token.grant_unknown": "grant_type must be password, client_credentials or refresh_token.",
    # -- housing ------------------------------------------------------------------------
    "open_case_exists": "This household already has an open case.",
    "case_moved_meanwhile": "The case moved meanwhile, or the step's id exists.",
    "case_classification_fixed": (
        "The beneficiary group and support type are fixed once a case is {status}."
    ),
    "cancelled_case_funding": "A cancelled case takes no new funding; only reversals.",
    "obstacle_resolved": "This obstacle is already resolved.",
    "obstacle_not_reopened": "A resolved obstacle is not reopened; report a new one.",
    "forbidden.norms_province": (
        "Norms bind the whole province: setting one needs an admin of {province}."
    ),
    # -- labour -------------------------------------------------------------------------
    "national_id_taken": "A worker with this identity number already exists.",
    "placement_active_exists": "This worker already has an active placement.",
    "placement_departed": "{field} cannot change once the worker has departed.",
    "remittance_not_departed": (
        "A placement that is {status} has not departed; remittances start after departure."
    ),
    "profile_none_to_match": "There is no profile yet to match; send the PUT without If-Match.",
    "forbidden.partners_province": (
        "Partners are kept by writers whose areas cover the whole province."
    ),
    # -- production ---------------------------------------------------------------------
    "project_code_taken": "A project with this code already exists.",
    "project_fixed": "{fields} may change only while the project is proposed; it is {status}.",
    "disbursement_status": (
        "Disbursements are recorded while a project is approved, in progress or completed; "
        "this one is {status}."
    ),
    "participant_status": (
        "Households join a project that is still going on; this one is {status}."
    ),
    "participant_twice": "This household already takes part in this project.",
    # -- field errors: `field.<code>` is the code's own message --------------------------
    "field.invalid": "is not valid",
    "field.invalid.batch_in_batch": "a batch cannot hold another batch",
    "field.invalid.batch_outside": (
        "must be a path of this service, under {prefix}/ (send it to that service's batch)"
    ),
    "field.invalid.webhook_format": (
        "must be a full http or https URL, without credentials or a fragment"
    ),
    "field.invalid.webhook_https_required": "a public address needs https",
    "field.invalid.webhook_private_address": (
        "points to an internal address (loopback, private, link-local); not allowed"
    ),
    "field.invalid.webhook_mapped_address": "points to an IPv4-mapped address; not allowed",
    "field.invalid.webhook_unresolved": "its host name does not resolve",
    "field.required": "is required",
    "field.required.note": "a note is required to move {what:a} to {to}",
    "field.required.outcome": "is required to close a case (its outcome)",
    "field.required.resolution": "a resolution is required to resolve an obstacle",
    "field.required.unless_field": "required unless {other} is given",
    "field.required.unless_reverses": "required (unless the entry reverses another)",
    "field.required.with_area_code": "geography qualifies area_code; give both",
    "field.required.with_field": "is required when {other} is given",
    "field.required.client_id": "an admin names the client_id of the client it is for",
    "field.unknown_field": "unknown field",
    "field.unknown_field.parameter": "unknown parameter",
    "field.unknown_field.with_reverses": (
        "not allowed with reverses: it is the reversed entry's own"
    ),
    "field.unknown_field.without": "is given only with {other}",
    "field.unknown_field.outcome": "is given only on the step to closed",
    "field.read_only": "cannot be changed",
    "field.not_null": "may not be null",
    "field.not_zero": "may not be zero (a cut is negative, an allocation positive)",
    "field.not_null.named": "{name} may not be null",
    "field.invalid_type": "has the wrong type",
    "field.invalid_type.text": "must be text",
    "field.invalid_type.object": "must be a JSON object",
    "field.invalid_type.list": "must be a list",
    "field.invalid_type.null": "must be null",
    "field.not_a_number": "must be a number",
    "field.not_a_number.integer": "must be a whole number",
    "field.invalid_format": "is not written in the expected format",
    "field.invalid_format.bool": "must be true or false",
    "field.invalid_format.day": "must be a date written YYYY-MM-DD",
    "field.invalid_format.month": "must be a month written YYYY-MM",
    "field.invalid_format.timestamp": "must be a date and time (RFC 3339)",
    "field.invalid_format.uuid": "must be a UUID",
    "field.invalid_format.cursor": "invalid cursor",
    "field.invalid_format.country": "not an ISO 3166-1 alpha-2 country code",
    "field.invalid_format.control_characters": "must not contain NUL or other control characters",
    "field.invalid_format.unicode": "must be valid Unicode text",
    "field.too_short": "is too short",
    "field.too_short.chars": "must have at least {min_length} characters",
    "field.too_short.empty": "must not be empty",
    "field.too_short.items": "must list at least {min_length} items",
    "field.too_long": "is too long",
    "field.too_long.chars": "must have at most {max_length} characters",
    "field.too_long.items": "must list at most {max_length} items",
    "field.too_long.digits": "has too many digits",
    "field.too_long.decimals": "may have at most {decimal_places} decimals",
    "field.out_of_range": "out of range",
    "field.out_of_range.ge": "must be at least {ge}",
    "field.out_of_range.gt": "must be greater than {gt}",
    "field.out_of_range.le": "must be at most {le}",
    "field.out_of_range.lt": "must be less than {lt}",
    "field.out_of_range.multiple_of": "must be a multiple of {multiple_of}",
    "field.out_of_range.finite": "must be a finite number of sensible size",
    "field.out_of_range.min_age": "the worker must be {age} or older",
    "field.out_of_range.departure_age": "the worker must be {age} or older on the departure date",
    "field.out_of_range.after_return": "month is after the return month {last}",
    "field.out_of_range.after_deadline": "a milestone may not fall after the deadline",
    "field.out_of_range.cumulative_target": (
        "targets are cumulative: a later milestone may not target fewer houses"
    ),
    "field.out_of_range.below_disbursed": (
        "may not be below what is already disbursed ({disbursed} VND)"
    ),
    "field.out_of_range.stars": "a {stars}-star product scores {low} to {high}, not {score}",
    "field.in_future": "may not be in the future ({on})",
    "field.in_future.month": "month is in the future",
    "field.in_future.year": "a profile cannot be for a future year",
    "field.before_start": "may not be before {what} ({earliest})",
    "field.before_start.field": "may not be before {other}",
    "field.before_start.after_field": "must be after {other}",
    "field.before_start.departure_month": "month is before the departure month {first}",
    "field.invalid_choice": "is not one of the allowed values",
    "field.invalid_choice.one_of": "must be one of: {expected}",
    "field.invalid_choice.geography": "geography must be 2025-01 or 2025-07",
    "field.invalid_choice.period_old_geography": (
        "an area of the 2025-01 geography reports only periods that ended before 2025-07-01"
    ),
    "field.invalid_format.period": "must be written YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY",
    "field.period_not_ended": "the period {period} has not ended yet: it ends on {end}",
    "field.invalid_choice.zone_area": "a zone lies in a commune or a legacy district",
    "field.invalid_choice.home_country": "a placement abroad cannot be in Viet Nam",
    "field.invalid_choice.protection_alone": (
        "{role} is held beside another role (viewer, officer, approver or admin), never alone"
    ),
    "field.invalid_choice.reversal_copies": (
        "a reversal keeps the reversed entry's value ({kept}); record a new entry instead"
    ),
    "field.invalid_choice.project": (
        "must be a project whose money this service records: {expected} "
        "(see GET /api/v1/programmes)"
    ),
    "field.invalid_choice.reversal": (
        "a reversing entry cannot itself be reversed; record it again"
    ),
    "field.invalid_choice.webhook_scope": "the client does not hold {scope}",
    "field.invalid_choice.webhook_service": "this webhook does not follow {service}",
    "field.not_in_geography": "does not exist in that geography",
    "field.not_in_geography.level": "{level} {code} does not exist in geography {geography}",
    "field.not_in_geography.hinted": (
        "{level} {code} does not exist in geography {geography} ({hint})"
    ),
    "field.not_in_geography.old_unit": (
        "{level} {code} is a 2025-01 unit: it cannot be read in geography 2025-07"
    ),
    "field.not_in_geography.caller_area": "an area is 15 (the province) or a 2025-07 commune code",
    "field.not_in_your_areas": "lies outside your areas",
    "field.not_in_your_areas.commune": "This commune lies outside your areas.",
    "field.not_in_your_areas.area": "This area lies outside your areas.",
    "field.not_in_your_areas.record": "This {what} lies outside your areas.",
    "field.not_in_your_areas.grant": "You may grant only areas inside your own areas.",
    "field.not_in_your_areas.case_outside_area": "the case lies outside the obstacle's area",
    "field.not_found": "No such {what}.",
    "field.not_found.entry": "No such {what} of this {owner}.",
    "field.over_cap": "exceeds the allowed maximum",
    "field.over_cap.field": "may not exceed {other}",
    "field.over_cap.households": (
        "poor and near-poor households together may not exceed households"
    ),
    "field.over_cap.state_share": "may be at most {share} of total_cost_vnd, that is {cap} VND",
    "field.over_cap.disbursement": (
        "exceeds the approved state support: {remaining} VND remain to disburse"
    ),
    "field.over_cap.plan_target": "exceeds the plan's target ({target} houses)",
    "field.listed_twice": "listed twice",
    "field.listed_twice.milestone_date": "two milestones fall on the same date",
    "field.period_locked": "the reporting period is locked",
    # -- words used in messages ---------------------------------------------------------
    "word.none": "none",
    "word.resource": "resource",
    "word.unit": "unit",
    "word.province": "province",
    "word.district": "district",
    "word.commune": "commune",
    "word.user": "user",
    "word.client": "client",
    "word.webhook": "webhook",
    "word.case": "case",
    "word.step": "step",
    "word.period_report": "period report",
    "word.period_report_step": "period report step",
    "word.funding_entry": "funding entry",
    "word.plan": "plan",
    "word.obstacle": "obstacle",
    "word.norm": "norm",
    "word.worker": "worker",
    "word.partner": "partner",
    "word.outreach_event": "outreach event",
    "word.placement": "placement",
    "word.transition": "step",
    "word.remittance": "remittance",
    "word.commune_profile": "commune profile",
    "word.zone": "zone",
    "word.project": "project",
    "word.project_step": "project step",
    "word.disbursement": "disbursement",
    "word.participant": "participant",
    "word.facility": "facility",
    "word.ocop_product": "OCOP product",
    "word.community_model": "community model",
    "word.protection_case": "protection case",
    "word.activity": "activity",
    "word.material": "material",
    "field.invalid.cameras_only": "only a camera is connected to the IOC",
    "field.required.decision_number": (
        "is required to recognise a smart village (the decision's number)"
    ),
    "field.out_of_range.status_change": (
        "must be on or before {earliest}, the day its status first changed"
    ),
    "word.asset": "digital asset",
    "word.team": "community digital technology team",
    "word.smart_village": "smart village",
    "word.seller": "online seller",
    "word.current_status": "the day its current status began",
    "word.start_date": "the start date",
    "word.capital_plan": "capital plan",
    "word.spending_entry": "spending entry",
    # dates a step or an entry may not come before
    "word.registration_date": "the registration date",
    "word.previous_step": "the previous step",
    "word.reported_date": "the date it was reported",
    "word.reversed_entry": "the entry it reverses",
    "word.project_approval": "the project's approval",
    "word.proposal_date": "the proposal date",
    # imports
    "import_not_spreadsheet": (
        "The file is neither an XLSX workbook nor a CSV file in UTF-8; save it as one of them."
    ),
    "body_not_multipart": "An import is sent as multipart/form-data, not {media}.",
    "import_no_header": (
        "No row at the top of the file names a column of {resource} by its field name or its label."
    ),
    "import_too_many_rows": "The file has more than {limit} rows; split it.",
    "import_gave_up": (
        "The import was interrupted {attempts} times and has been given up; nothing was "
        "written. Send the file again."
    ),
    "import_resource_gone": "This service no longer imports this resource; nothing was written.",
    "import_row_conflict": "Another record already holds these values.",
    "import_row_failed": "This row could not be written.",
    "word.import": "import",
    "word.import_template": "import template",
    "field.required.import_header": "a header row naming the columns is required",
    "field.unknown_field.column": "the column {column} names no field of {resource}",
    "field.unknown_field.no_header": "this cell holds data under a column with no header",
    "field.listed_twice.column": "a second column names {name}",
    "field.invalid_choice.no_update": "{resource} cannot be updated by an import",
    "field.exists": "{what:a} with the same {fields} exists already",
    "template.notes_sheet": "Notes",
    "template.example": "An example row (this sheet is not imported)",
    "template.label": "Column",
    "template.field": "Field",
    "template.required": "Required",
    "template.type": "Type",
    "template.unit": "Unit",
    "template.format": "Format",
    "template.allowed": "Allowed values (value or word)",
    "template.yes": "yes",
    "template.no": "no",
    "template.type.int": "whole number",
    "template.type.float": "number",
    "template.type.bool": "yes / no",
    "template.type.date": "date",
    "template.type.datetime": "date and time",
    "template.type.enum": "one of the list",
    "template.type.text": "text",
    "template.type.list": "list, separated by commas",
    "template.type.other": "value",
    "field.not_found.open_case": "this household has no open case",
    # exports
    "export_not_here": (
        "`format` is taken only by lists and reports: this endpoint has no export (a "
        "single record, the vocabulary and the change feed have none)"
    ),
    "export_paged": (
        "An export holds the whole list: `limit` and `cursor` are not taken with `format`"
    ),
    "export_too_many_rows": (
        "More than {limit} rows cannot be exported as xlsx: narrow the filters or export csv"
    ),
    "export_total": "Total",
    "export_row": "Row",
    "export_figure": "Figure",
    "export_value": "Value",
    "export_reason": "Why it is not here",
}
