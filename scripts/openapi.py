#!/usr/bin/env python3
"""Writes the OpenAPI 3.1 document of the API (Sources/API/Resources/openapi.json).

    python3 scripts/openapi.py > Sources/API/Resources/openapi.json

Edit this file, not the JSON: `make test` checks that the JSON is this script's output,
and APITests check that the document and the router list the same operations.
"""
import json
P = {"$ref": "#/components/responses/Problem"}

# Text as the API stores it. No NUL (PostgreSQL cannot store it); a name-like field also
# needs one character that is not white space (the server trims it). The white space is
# Unicode's White_Space, written out so that every regular-expression engine reads the
# class alike. Lengths count code points, as JSON Schema and PostgreSQL do.
WHITE = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
def text(max_length, min_length=0, blank=True, **extra):
    schema = {"type": "string"}
    if min_length: schema["minLength"] = min_length
    schema["maxLength"] = max_length
    schema["pattern"] = r"^[^\x00]*$" if blank else rf"^[^\x00]*[^\x00{WHITE}][^\x00]*$"
    return {**schema, **extra}
def name(max_length=200): return text(max_length, 1, blank=False)
DATE = {"type": "string", "format": "date", "pattern": r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        "description": "A day from 1900-01-01 to 2199-12-31."}
# An e-mail address as the server reads one: one @, a domain with a dot inside it, no white space.
EMAIL = {"type": "string", "maxLength": 254,
         "pattern": rf"^[^@\x00{WHITE}]+@[^@.\x00{WHITE}][^@\x00{WHITE}]*\.[^@\x00{WHITE}]*[^@.\x00{WHITE}]$"}
PASSWORD = {"type": "string", "minLength": 8, "maxLength": 1024, "pattern": r"^[^\x00]*$", "description": "8 to 1,024 characters."}
KIND_CODE = {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"}
STATE_CODE = {"type": "string", "pattern": "^[A-Z]{2,8}$"}
PROGRAM_CODE = {"type": "string", "pattern": "^[A-Z][A-Z0-9]{1,15}$"}
SOURCE_CODE = {"type": "string", "pattern": "^[A-Z][A-Z0-9_-]{1,31}$"}
NULLABLE_UUID = {"type": ["string", "null"], "format": "uuid"}
MONEY = {"type": "integer", "minimum": 1, "maximum": 100000000000, "description": "US cents, up to a billion dollars."}
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def ok(schema, desc="OK", status="200"):
    return {status: {"description": desc, "content": {"application/json": {"schema": schema}}}}
def problems(*codes):
    return {str(c): P for c in codes}
def body(schema, limit=65536):
    return {"required": True, "description": f"At most {limit} bytes; larger bodies are refused with 413.",
            "content": {"application/json": {"schema": schema}}}
def page_of(name):
    return {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": ref(name)},
        "nextCursor": {"type": "string", "description": "Absent on the last page."}}}
PAGE = [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Cursor"}]
def path_param(name, desc, fmt="uuid", example=None):
    schema = {"type": "string"}
    if fmt: schema["format"] = fmt
    parameter = {"name": name, "in": "path", "required": True, "description": desc, "schema": schema}
    if example: parameter["example"] = example
    return parameter
# Examples are records of the demo (`mpmp demo`), whose ids are stable: Amherst, its
# pothole measure, a stat meeting and an action item, a library measure.
T = path_param("t", "Tenant id.", example="28a7c332-2ebc-44f5-8fd5-6814d5a317b4")
SEC = [{"bearer": []}]
def op(opid, summary, tag, responses, params=None, request=None, public=False, desc=None):
    responses = dict(responses)
    # A body whose fields can be refused (422) can also name what is not there (409).
    if "422" in responses: responses.setdefault("409", P)
    # A list's cursor that the list did not give out names no page (404).
    if params and PAGE[1] in params: responses.setdefault("404", P)
    o = {"operationId": opid, "summary": summary, "tags": [tag], "responses": dict(sorted(responses.items()))}
    if desc: o["description"] = desc
    if params: o["parameters"] = params
    if request: o["requestBody"] = request
    o["security"] = [] if public else SEC
    return o
AUTHN = problems(401)
paths = {
 "/health/live": {"get": op("getLiveness", "The process is up", "operations", ok(ref("HealthStatus"), "The process answers."), public=True)},
 "/health/ready": {"get": op("getReadiness", "The database answers and is fully migrated", "operations", {**ok(ref("HealthStatus"), "Ready for traffic."), **problems(503)}, public=True)},
 "/metrics": {"get": {**op("getMetrics", "Prometheus metrics (the metrics token; 404 when the service has none)", "operations", {"200": {"description": "The Prometheus text exposition format, version 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}}, **problems(401, 404)}), "security": [{"metricsToken": []}]}},
 "/openapi.json": {"get": op("getOpenAPIDocument", "This document", "operations", ok({"type": "object"}, "The OpenAPI 3.1 document of the API."), public=True)},
 "/v1/auth/login": {"post": op("login", "Sign in", "identity", {**ok(ref("LoginResult"), "Signed in: the bearer token and the user."), **problems(400, 401, 413, 415, 422, 429)}, request=body(ref("LoginRequest")), public=True,
     desc="Failed sign-ins are counted per account and per client address; past the limit the answer is 429 for a while, even with the right password. An unknown e-mail and a wrong password get the same answer.")},
 "/v1/auth/logout": {"post": op("logout", "End this session", "identity", {"204": {"description": "The session has ended."}, **AUTHN})},
 "/v1/auth/password-reset": {"post": op("requestPasswordReset", "Ask for a password-reset link by mail", "identity", {"202": {"description": "The same answer for every address: a mail goes only to an account that may sign in.", "content": {"application/json": {"schema": ref("ResetRequested")}}}, **problems(400, 413, 415, 422, 429)}, request=body(ref("PasswordResetRequest")), public=True,
     desc="The link works once, within an hour. Requests are counted like failed sign-ins, per address and account and per client address, whether the account exists or not; past the limit the answer is 429 for a while.")},
 "/v1/auth/password-reset/{token}": {"post": op("resetPassword", "Choose a new password with a reset link", "identity", {"204": {"description": "The password is set; every session of the account has ended."}, **problems(400, 404, 413, 415, 422)},
     params=[path_param("token", "The secret of the reset link (it travels only by mail).", None)], request=body(ref("PasswordReset")), public=True,
     desc="A link that is unknown, used or expired answers 404; ask for a new one.")},
 "/v1/auth/password": {"post": op("changePassword", "Change my password (ends every session of mine)", "identity", {"204": {"description": "Changed; sign in again."}, **problems(400, 401, 413, 415, 422)}, request=body(ref("PasswordChange")))},
 "/v1/me": {"get": op("getMe", "Who I am and what I may do", "identity", {**ok(ref("Me")), **AUTHN})},
 "/v1/me/preferences": {
     "get": op("getPreferences", "What I receive by mail", "identity", {**ok(ref("Preferences")), **AUTHN}),
     "patch": op("updatePreferences", "Change what I receive by mail (anyone may stop the weekly digest; invitations and password resets always come)", "identity", {**ok(ref("Preferences")), **problems(400, 401, 413, 415, 422)}, request=body(ref("PreferencesPatch")))},
 "/v1/outbox/failed": {"get": op("listFailedMails", "Mails given up after their last attempt, newest first (Center admins); never their bodies", "identity", {**ok(ref("FailedMailPage")), **problems(400, 401, 403)}, params=PAGE)},
 "/v1/invitations/{token}/accept": {"post": {**op("acceptInvitation", "Accept an invitation", "identity", {**ok(ref("User"), "The invitee's account, now with the role."), **problems(400, 401, 403, 404, 409, 410, 413, 415, 422)},
     params=[path_param("token", "The token of the accept link (it travels only by mail).", None)], request=body(ref("InvitationAcceptance")),
     desc="Without a session: a new account for the invited address, with the name and password in the body; an address that already has an account is refused (409) with nothing changed. With the session of the account the invitation was sent to and an empty body: that account gains the role, nothing else about it changes."), "security": [{}, {"bearer": []}]}},
 "/v1/users": {
     "get": op("listUsers", "List users (Center admins)", "identity", {**ok(ref("UserPage")), **problems(400, 401, 403)}, params=PAGE),
     "post": op("createUser", "Create a user: an analyst or a Center admin (Center admins)", "identity", {**ok(ref("User"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("NewUser")))},
 "/v1/users/{id}/disable": {"post": op("disableUser", "Disable a user and end their sessions (Center admins)", "identity", {**ok(ref("User")), **problems(401, 403, 404, 409)}, params=[path_param("id", "User id.")])},
 "/v1/analysts/{userId}/portfolio/{tenantId}": {
     "put": op("assignPortfolioTenant", "Put a tenant in an analyst's portfolio (Center admins)", "identity", {"204": {"description": "Assigned."}, **problems(401, 403, 404)}, params=[path_param("userId", "Analyst's user id."), path_param("tenantId", "Tenant id.")]),
     "delete": op("removePortfolioTenant", "Take a tenant out of an analyst's portfolio (Center admins)", "identity", {"204": {"description": "Removed; the analyst's next request no longer sees the tenant."}, **problems(401, 403, 404)}, params=[path_param("userId", "Analyst's user id."), path_param("tenantId", "Tenant id.")])},
 "/v1/audit-events": {"get": op("listAuditEvents", "The audit trail, newest first (Center admins: all; CEOs: their tenant's)", "identity", {**ok(ref("AuditEventPage")), **problems(400, 401, 403, 404)},
     params=PAGE + [{"name": "tenantId", "in": "query", "required": False, "description": "Only this tenant's events.", "schema": {"type": "string", "format": "uuid"}}])},
 "/v1/jurisdictions": {
     "get": op("listJurisdictions", "List jurisdictions (states)", "catalogue", {**ok(ref("JurisdictionPage")), **problems(400, 401)}, params=PAGE),
     "post": op("createJurisdiction", "Add a jurisdiction (Center admins)", "catalogue", {**ok(ref("Jurisdiction"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("Jurisdiction")))},
 "/v1/tenant-kinds": {
     "get": op("listTenantKinds", "List tenant kinds", "catalogue", {**ok(ref("TenantKindPage")), **problems(400, 401)}, params=PAGE),
     "post": op("createTenantKind", "Add a tenant kind (Center admins)", "catalogue", {**ok(ref("TenantKind"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("TenantKind")))},
 "/v1/tenants": {
     "get": op("listTenants", "List the tenants I may see", "tenants", {**ok(ref("TenantPage")), **problems(400, 401)}, params=PAGE),
     "post": op("createTenant", "Onboard a tenant (Center admins)", "tenants", {**ok(ref("Tenant"), "Created.", "201"), **problems(400, 401, 403, 413, 415, 422)}, request=body(ref("NewTenant")))},
 "/v1/tenants/{t}": {
     "get": op("getTenant", "A tenant's profile", "tenants", {**ok(ref("Tenant")), **problems(401, 403, 404)}, params=[T]),
     "patch": op("updateTenant", "Change a tenant's name or population (Center admins, the tenant's CEO)", "tenants", {**ok(ref("Tenant")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T], request=body(ref("TenantPatch")))},
 "/v1/tenants/{t}/departments": {
     "get": op("listDepartments", "A tenant's departments (schools and offices for a school district)", "tenants", {**ok(ref("DepartmentPage")), **problems(400, 401, 403, 404)}, params=[T] + PAGE),
     "post": op("createDepartment", "Add a department", "tenants", {**ok(ref("Department"), "Created.", "201"), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=[T], request=body(ref("NewDepartment")))},
 "/v1/tenants/{t}/invitations": {"post": op("createInvitation", "Invite a CEO (Center admins) or a department head (also the CEO)", "tenants", {**ok(ref("Invitation"), "Created; the accept link is mailed to the invitee (the outbox) and appears nowhere else.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T], request=body(ref("NewInvitation")))},
}

PROG = [path_param("code", "Program code, such as MPMP.", None), {"name": "fy", "in": "path", "required": True, "description": "Fiscal year, by the calendar year it ends in (2015 = FY2015).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}]
IDEM = [{"$ref": "#/components/parameters/IdempotencyKey"}]
INV = [T, path_param("id", "Invoice id.")]
paths.update({
 "/v1/programs": {
     "get": op("listPrograms", "List programs", "billing", {**ok(ref("ProgramPage")), **problems(400, 401)}, params=PAGE),
     "post": op("createProgram", "Add a program (Center admins)", "billing", {**ok(ref("Program"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("Program")))},
 "/v1/programs/{code}/years/{fy}": {
     "get": op("getProgramYear", "A program year: budget, target state share, analysts", "billing", {**ok(ref("ProgramYear")), **problems(401, 404)}, params=PROG),
     "put": op("saveProgramYear", "Create or change a program year (Center admins)", "billing", {**ok(ref("ProgramYear")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=PROG, request=body(ref("ProgramYear")))},
 "/v1/programs/{code}/years/{fy}/fee-schedule": {
     "get": op("getFeeSchedule", "The fee schedule: tiers by population or enrollment (one tier from 0 is a flat fee)", "billing", {**ok(ref("FeeSchedule")), **problems(401, 404)}, params=PROG),
     "put": op("saveFeeSchedule", "Replace the fee schedule (Center admins)", "billing", {**ok(ref("FeeSchedule")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=PROG, request=body(ref("FeeSchedule")))},
 "/v1/programs/{code}/years/{fy}/grants": {
     "get": op("listGrants", "Grant awards of the program year (Center admins)", "billing", {**ok(ref("GrantAwardPage")), **problems(400, 401, 403, 404)}, params=PROG + PAGE),
     "post": op("awardGrant", "Record a grant award (Center admins)", "billing", {**ok(ref("GrantAward"), "Created.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=PROG + IDEM, request=body(ref("GrantAward")))},
 "/v1/programs/{code}/years/{fy}/invoice-runs": {"post": op("runInvoices", "Create a draft invoice for every enrollment that has none (Center admins; safe to repeat)", "billing", {**ok(ref("InvoiceRun"), "The run's result (a replay with the same Idempotency-Key returns the first).", "201"), **problems(400, 401, 403, 404, 409, 413, 422)}, params=PROG + IDEM)},
 "/v1/programs/{code}/years/{fy}/funding-report": {"get": op("getFundingReport", "Budget, grants, fees invoiced and collected, shares against the target (Center admins)", "billing", {**ok(ref("FundingReport")), **problems(401, 403, 404)}, params=PROG)},
 "/v1/funding-sources": {
     "get": op("listFundingSources", "List funding sources", "billing", {**ok(ref("FundingSourcePage")), **problems(400, 401)}, params=PAGE),
     "post": op("createFundingSource", "Add a funding source (Center admins)", "billing", {**ok(ref("FundingSource"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("FundingSource")))},
 "/v1/reports/aging": {"get": op("getAgingReport", "Open balances by days past due (Center admins)", "billing", {**ok(ref("AgingReport")), **problems(400, 401, 403)},
     params=[{"name": "asOf", "in": "query", "required": False, "description": "The date to age as of (default: today, UTC).", "schema": DATE}])},
 "/v1/tenants/{t}/enrollments": {"post": op("createEnrollment", "Enroll a tenant in a program year (Center admins)", "billing", {**ok(ref("Enrollment"), "Created.", "201"), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=[T], request=body(ref("NewEnrollment")))},
 "/v1/tenants/{t}/invoices": {"get": op("listInvoices", "A tenant's invoices", "billing", {**ok(ref("InvoicePage")), **problems(400, 401, 403, 404)}, params=[T] + PAGE)},
 "/v1/tenants/{t}/invoices/{id}": {"get": op("getInvoice", "One invoice with its balance", "billing", {**ok(ref("Invoice")), **problems(401, 403, 404)}, params=INV)},
 "/v1/tenants/{t}/invoices/{id}/finalize": {"post": op("finalizeInvoice", "Number and finalize a draft (Center admins)", "billing", {**ok(ref("Invoice")), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=INV + IDEM,
     request={"required": False, "description": "Optional; at most 65536 bytes.", "content": {"application/json": {"schema": ref("Finalization")}}})},
 "/v1/tenants/{t}/invoices/{id}/void": {"post": op("voidInvoice", "Void an invoice without payments; it keeps its number (Center admins)", "billing", {**ok(ref("Invoice")), **problems(400, 401, 403, 404, 409, 413, 422)}, params=INV + IDEM)},
 "/v1/tenants/{t}/invoices/{id}/payments": {"post": op("recordPayment", "Record a payment, never above the open balance (Center admins)", "billing", {**ok(ref("Invoice"), "Recorded; the invoice as it now stands.", "201"), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=INV + IDEM, request=body(ref("NewPayment")))},
 "/v1/tenants/{t}/invoices/{id}/credit-notes": {"post": op("issueCreditNote", "Issue a credit note, never above what is left (Center admins)", "billing", {**ok(ref("Invoice"), "Issued; the invoice as it now stands.", "201"), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=INV + IDEM, request=body(ref("NewCreditNote")))},
 "/v1/tenants/{t}/statement": {"get": op("getStatement", "A tenant's statement: invoices, payments, credit notes, balance", "billing", {**ok(ref("Statement")), **problems(401, 403, 404)}, params=[T])},
})

M = [T, path_param("m", "Measure id.", example="56a347dd-73b7-41bd-95ff-4baac7d695bc")]
paths.update({
 "/v1/tenants/{t}/measures": {
     "get": op("listMeasures", "A tenant's measures (a department head's: their department's)", "performance", {**ok(ref("MeasurePage")), **problems(400, 401, 403, 404)}, params=[T] + PAGE),
     "post": op("createMeasure", "Create a measure, or adopt one from the library with templateId", "performance", {**ok(ref("Measure"), "Created.", "201"), **problems(400, 401, 403, 404, 409, 413, 415, 422)}, params=[T], request=body(ref("NewMeasure")))},
 "/v1/tenants/{t}/measures/{m}": {
     "get": op("getMeasure", "One measure", "performance", {**ok(ref("Measure")), **problems(401, 403, 404)}, params=M),
     "patch": op("updateMeasure", "Change a measure; its sharing only by the CEO or a Center admin", "performance", {**ok(ref("Measure")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=M, request=body(ref("MeasurePatch")))},
 "/v1/tenants/{t}/measures/{m}/targets/{fy}": {"put": op("setTarget", "Set the target of a fiscal year, with its tolerance band", "performance", {**ok(ref("Target")), **problems(400, 401, 403, 404, 413, 415, 422)},
     params=M + [{"name": "fy", "in": "path", "required": True, "description": "Fiscal year (2015 = FY2015).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}], request=body(ref("TargetRequest")))},
 "/v1/tenants/{t}/measures/{m}/data": {
     "get": op("listDataPoints", "A measure's data points, oldest first", "performance", {**ok(ref("DataPage")), **problems(400, 401, 403, 404)}, params=M + PAGE),
     "post": op("enterDataPoint", "Enter a value for a period (a changed value keeps a revision with its reason)", "performance", {**ok(ref("DataPoint"), "Unchanged."), **ok(ref("DataPoint"), "Written.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=M, request=body(ref("NewDataPoint")))},
 "/v1/tenants/{t}/measures/{m}/data/validations": {"post": op("validateDataPoints", "Sign off data points (Center admins, analysts, the CEO)", "performance", {**ok(ref("DataPage")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=M, request=body(ref("Signoff")))},
 "/v1/tenants/{t}/data-imports": {"post": op("importData", "Import a CSV file of measure,period,value[,note], or an Excel workbook: all or nothing", "performance", {**ok(ref("ImportResult"), "Imported.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T, {"name": "sheet", "in": "query", "required": False, "description": "A workbook's sheet, by name (default: the first visible one).", "schema": {"type": "string", "minLength": 1, "maxLength": 31}}],
     request={"required": True, "description": "text/csv, at most 16 MiB (about 100,000 rows and more), as spreadsheets save it: an optional byte order mark, CRLF or LF, `,` or `;` between fields, RFC 4180 quotes. The first line is the header. Then a row per value: the measure by name or id, the period as YYYY-MM-DD (the first day of the measure's period, 1900 to 2199), the value (a decimal number with a point, under 10^15 in magnitude), and the note when the header has one (up to 1000 characters). A row that breaks these rules, names no measure of the caller's, or repeats a measure and period refuses the whole file (422, every row named). Or an .xlsx workbook, at most 16 MiB; its sheet in the layout of the CSV (a header measure, period, value[, note], periods as dates or months) or the wide one towns keep (Measure, then a column per month: month text such as Jul 2014 or date cells; a row per measure; empty cells skipped). Errors name the cell (Sheet1!C7). A workbook that would inflate past 128 MiB, or a part more than 200 times, is refused (413) unread.",
     "content": {"text/csv": {"schema": {"type": "string", "pattern": "^(\ufeff)?measure[,;]period[,;]value([,;]note)?\r?\n"}},
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}})},
 "/v1/tenants/{t}/data-imports/template": {"get": {**op("getImportTemplate", "An Excel workbook to fill and send back: a row per measure the caller enters data for, a column per month of the fiscal year, the values already entered filled in", "performance", {"200": {"description": "The workbook.", "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}}, **problems(400, 401, 403, 404)},
     params=[T, {"name": "fy", "in": "query", "required": False, "description": "The fiscal year (default: the current one).", "schema": {"type": "integer", "minimum": 1901, "maximum": 2199}}])}},
 "/v1/tenants/{t}/dashboard": {"get": op("getDashboard", "Every measure with its latest value, target, status, trend and last 12 periods", "performance", {**ok(ref("Dashboard")), **problems(400, 401, 403, 404)},
     params=[T, {"name": "fy", "in": "query", "required": False, "description": "The fiscal year of the targets (default: the current one).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}])},
 "/v1/tenants/{t}/meetings": {
     "get": op("listMeetings", "A tenant's stat meetings", "performance", {**ok(ref("MeetingPage")), **problems(400, 401, 403, 404)}, params=[T] + PAGE),
     "post": op("createMeeting", "Schedule a stat meeting", "performance", {**ok(ref("Meeting"), "Created.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T], request=body(ref("NewMeeting")))},
 "/v1/tenants/{t}/meetings/{id}/agenda": {"get": op("getAgenda", "The agenda: open action items (follow-ups), measures in red or worsening (standing items), items added by hand (new items)", "performance", {**ok(ref("Agenda")), **problems(401, 403, 404)}, params=[T, path_param("id", "Meeting id.", example="724e028a-476c-488b-8e93-8c6a2232c7b2")])},
 "/v1/tenants/{t}/meetings/{id}/agenda-items": {"post": op("addAgendaItem", "Add an item to a meeting's agenda by hand", "performance", {**ok(ref("AgendaItem"), "Created.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T, path_param("id", "Meeting id.", example="724e028a-476c-488b-8e93-8c6a2232c7b2")], request=body(ref("NewAgendaItem")))},
 "/v1/tenants/{t}/action-items": {
     "get": op("listActionItems", "Action items, open first (a department head's: those assigned to them)", "performance", {**ok(ref("ActionItemPage")), **problems(400, 401, 403, 404)}, params=[T] + PAGE),
     "post": op("createActionItem", "Create an action item", "performance", {**ok(ref("ActionItem"), "Created.", "201"), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T], request=body(ref("NewActionItem")))},
 "/v1/tenants/{t}/action-items/{id}": {"patch": op("updateActionItem", "Change an action item (its owner: the status only)", "performance", {**ok(ref("ActionItem")), **problems(400, 401, 403, 404, 413, 415, 422)}, params=[T, path_param("id", "Action item id.", example="9ab60d31-82d1-4baf-b76f-6ceaa067adb6")], request=body(ref("ActionItemPatch")))},
 "/v1/library/measures": {
     "get": op("listLibraryMeasures", "The measure library", "performance", {**ok(ref("LibraryMeasurePage")), **problems(400, 401)}, params=PAGE),
     "post": op("publishLibraryMeasure", "Publish a measure to the library (Center admins)", "performance", {**ok(ref("LibraryMeasure"), "Created.", "201"), **problems(400, 401, 403, 409, 413, 415, 422)}, request=body(ref("LibraryMeasure")))},
 "/v1/benchmarks/{templateId}": {"get": op("getBenchmark", "Peer values of a library measure: named values, and aggregates of anonymized ones when three or more tenants you cannot see share", "performance", {**ok(ref("Benchmark")), **problems(400, 401, 404)},
     params=[path_param("templateId", "Library measure id.", example="1a84d4a4-ef95-465a-b221-cd0233bae53b"), {"name": "fy", "in": "query", "required": True, "description": "Fiscal year (2015 = FY2015).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}])},
 "/v1/portfolio": {"get": op("getPortfolio", "Per tenant I work with: measures due and in red, open and overdue action items, next meeting, open invoices", "performance", {**ok(ref("Portfolio")), **problems(400, 401)},
     params=[{"name": "asOf", "in": "query", "required": False, "description": "The day to judge due data and overdue items by (default: today, UTC).", "schema": DATE},
             {"name": "fy", "in": "query", "required": False, "description": "The fiscal year of the targets (default: the one containing asOf).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}])},
})

S = lambda **props: props
def obj(required, **props):
    o = {"type": "object", "properties": props, "additionalProperties": False}
    if required: o["required"] = required
    return o
string = {"type": "string"}
uuid = {"type": "string", "format": "uuid"}
email = {"type": "string", "format": "email", "maxLength": 254}
schemas = {
 "HealthStatus": obj(["status"], status={"type": "string", "enum": ["live", "ready"]}),
 "Problem": {"type": "object", "description": "An RFC 9457 problem document.", "required": ["type", "title", "status"], "properties": {
     "type": string, "title": string, "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": string,
     "requestId": {"type": "string", "description": "Matches the X-Request-Id header and the server's log line."},
     "errors": {"type": "array", "items": obj(["field", "reason"], field=string, reason=string)}}},
 "LoginRequest": obj(["email", "password"], email=EMAIL, password=text(1024, 1)),
 "LoginResult": obj(["token", "tokenType", "expiresInSeconds", "user"], token={"type": "string", "description": "Send as `Authorization: Bearer <token>`."}, tokenType={"type": "string", "enum": ["Bearer"]}, expiresInSeconds={"type": "integer"}, user=ref("User")),
 "PasswordChange": obj(["currentPassword", "newPassword"], currentPassword=text(1024, 1), newPassword=PASSWORD),
 "PasswordResetRequest": obj(["email"], email=EMAIL),
 "PasswordReset": obj(["password"], password=PASSWORD),
 "ResetRequested": obj(["detail"], detail=string),
 "User": obj(["id", "email", "displayName", "centerAdmin", "disabled"], id=uuid, email=string, displayName=string, centerAdmin={"type": "boolean"}, disabled={"type": "boolean"}),
 "NewUser": obj(["email", "password"], email=EMAIL, displayName=name(), password=PASSWORD, centerAdmin={"type": "boolean", "default": False}),
 "RoleGrant": obj(["tenantId", "role"], tenantId=uuid, role={"type": "string", "enum": ["analyst", "ceo", "department_head"]}, departmentId=uuid),
 "Me": obj(["user", "grants"], user=ref("User"), grants={"type": "array", "items": ref("RoleGrant")}),
 "Preferences": obj(["weeklyDigest"], weeklyDigest={"type": "boolean", "description": "The weekly digest of an analyst's portfolio, on Mondays."}),
 "PreferencesPatch": obj([], weeklyDigest={"type": "boolean"}),
 "FailedMail": obj(["id", "recipient", "subject", "kind", "createdAt", "failedAt", "attempts", "lastError"], id=uuid, recipient=string, subject=string,
     kind={"type": "string", "description": "invitation, password_reset, data_reminder, invoice or digest."}, createdAt={"type": "string", "format": "date-time"},
     failedAt={"type": "string", "format": "date-time"}, attempts={"type": "integer"}, lastError={"type": "string", "description": "The mail server's last answer, or why the mail could not be sent."}),
 "InvitationAcceptance": obj([], displayName=name(), password=PASSWORD),
 "NewInvitation": {**obj(["email", "role"], email=EMAIL, role={"type": "string", "enum": ["ceo", "department_head"]}, departmentId={**uuid, "description": "Required for a department head."}),
     "if": {"required": ["role"], "properties": {"role": {"const": "department_head"}}}, "then": {"required": ["departmentId"]}},
 "Invitation": obj(["id", "tenantId", "email", "role", "expiresAt"], id=uuid, tenantId=uuid, email=string, role=string, departmentId=uuid, expiresAt={"type": "string", "format": "date-time"}),
 "AuditEvent": obj(["id", "occurredAt", "action", "target", "outcome"], id=uuid, tenantId=uuid, occurredAt={"type": "string", "format": "date-time"}, actorId=uuid, action=string, target=string, outcome={"type": "string", "enum": ["success", "failure", "denied"]}, clientAddress=string),
 "Jurisdiction": obj(["code", "name", "fiscalYearStartMonth"], code=STATE_CODE, name=name(), fiscalYearStartMonth={"type": "integer", "minimum": 1, "maximum": 12}, currency={"type": "string", "pattern": "^[A-Z]{3}$", "default": "USD"}),
 "TenantKind": obj(["code", "name", "executiveTitle"], code=KIND_CODE, name=name(), executiveTitle=name(), unitName={**name(100), "default": "Department"}, sizeMeasure={"type": "string", "enum": ["population", "enrollment"], "default": "population"}),
 "Tenant": obj(["id", "name", "kind", "jurisdiction", "dataDueDay"], id=uuid, name=string, kind=string, jurisdiction=string, population={"type": ["integer", "null"]},
     dataDueDay={"type": "integer", "minimum": 1, "maximum": 28, "description": "The day of the month last period's values are due; owners of measures still without one get a reminder by mail that day."},
     billingEmail={"type": ["string", "null"], "description": "Where finalized invoices are mailed; when null, to the tenant's chief executive."}),
 "NewTenant": obj(["name", "kind", "jurisdiction"], name=name(), kind=KIND_CODE, jurisdiction=STATE_CODE, population={"type": "integer", "minimum": 0, "maximum": 100000000}),
 "TenantPatch": obj([], name=name(), population={"type": ["integer", "null"], "minimum": 0, "maximum": 100000000},
     dataDueDay={"type": "integer", "minimum": 1, "maximum": 28, "description": "The day of the month data is due (1 to 28)."},
     billingEmail={**EMAIL, "type": ["string", "null"], "description": "The billing contact: finalized invoices are mailed there (null: to the chief executive)."}),
 "Department": obj(["id", "tenantId", "name"], id=uuid, tenantId=uuid, name=string),
 "NewDepartment": obj(["name"], name=name()),
}

cents = {"type": "integer", "description": "US cents."}
date = DATE
schemas.update({
 "Program": obj(["code", "name", "jurisdiction"], code=PROGRAM_CODE, name=name(), jurisdiction=STATE_CODE, tenantKinds={"type": "array", "maxItems": 50, "items": KIND_CODE}),
 "ProgramYear": obj(["budgetCents", "targetStateShareBasisPoints", "analystHeadcount"], program=PROGRAM_CODE, fiscalYear={"type": "integer", "minimum": 2000, "maximum": 2200, "description": "The path's; ignored in a request."}, budgetCents={**MONEY, "minimum": 0}, targetStateShareBasisPoints={"type": "integer", "minimum": 0, "maximum": 10000, "description": "10000 = 100 %."}, analystHeadcount={"type": "integer", "minimum": 0, "maximum": 10000}),
 "FeeSchedule": obj(["tiers"], tiers={"type": "array", "minItems": 1, "maxItems": 100, "description": "In any order; one tier starts at 0, no two share a minimumSize.",
     "contains": {"type": "object", "required": ["minimumSize"], "properties": {"minimumSize": {"const": 0}}},
     "items": obj(["minimumSize", "feeCents"], minimumSize={"type": "integer", "minimum": 0, "maximum": 100000000}, feeCents={**cents, "minimum": 0, "maximum": 10000000000})}),
 "FundingSource": obj(["code", "name", "jurisdiction"], code=SOURCE_CODE, name=name(), jurisdiction=STATE_CODE),
 "GrantAward": obj(["fundingSource", "amountCents", "awardedOn"], id=uuid, fundingSource=SOURCE_CODE, amountCents=MONEY, awardedOn=date),
 "InvoiceRun": obj(["program", "fiscalYear", "draftsCreated"], program=string, fiscalYear={"type": "integer"}, draftsCreated={"type": "integer"}),
 "FundingReport": obj(["program", "fiscalYear", "enrolledTenants", "analystHeadcount", "budgetCents", "grantsAwardedCents", "feesInvoicedCents", "feesCollectedCents", "feesOutstandingCents", "fundingGapCents", "targetStateShareBasisPoints", "actualStateShareBasisPoints", "targetFeeShareBasisPoints", "actualFeeShareBasisPoints", "stateShareGapBasisPoints"],
     program=string, fiscalYear={"type": "integer"}, enrolledTenants={"type": "integer"}, analystHeadcount={"type": "integer"}, budgetCents=cents, grantsAwardedCents=cents,
     feesInvoicedCents={**cents, "description": "Finalized and paid invoices less credit notes."}, feesCollectedCents=cents, feesOutstandingCents=cents, fundingGapCents={**cents, "description": "Budget less grants and fees invoiced."},
     targetStateShareBasisPoints={"type": "integer"}, actualStateShareBasisPoints={"type": "integer"}, targetFeeShareBasisPoints={"type": "integer"}, actualFeeShareBasisPoints={"type": "integer"}, stateShareGapBasisPoints={"type": "integer"}),
 "AgingReport": obj(["asOf", "buckets", "totalCents", "invoices"], asOf=date, buckets={"type": "object", "additionalProperties": cents, "description": "current, 1-30, 31-60, 61-90, over-90."}, totalCents=cents,
     invoices={"type": "array", "items": obj(["tenantId", "tenantName", "invoiceId", "number", "dueOn", "openCents", "bucket"], tenantId=uuid, tenantName=string, invoiceId=uuid, number=string, dueOn=date, openCents=cents, bucket={"type": "string", "enum": ["current", "1-30", "31-60", "61-90", "over-90"]})}),
 "NewEnrollment": obj(["program", "fiscalYear", "joinedOn"], program=PROGRAM_CODE, fiscalYear={"type": "integer", "minimum": 2000, "maximum": 2200}, joinedOn=date),
 "Enrollment": obj(["id", "tenantId", "program", "fiscalYear", "joinedOn"], id=uuid, tenantId=uuid, program=string, fiscalYear={"type": "integer"}, joinedOn=date),
 "Invoice": obj(["id", "tenantId", "enrollmentId", "program", "fiscalYear", "status", "annualFeeCents", "billedDays", "yearDays", "amountCents", "paidCents", "creditedCents", "openCents"],
     id=uuid, tenantId=uuid, enrollmentId=uuid, program=string, fiscalYear={"type": "integer"}, status={"type": "string", "enum": ["draft", "finalized", "paid", "void"]},
     number={"type": "string", "description": "PROGRAM-FY2015-0001, gapless per program year, from finalization."}, annualFeeCents=cents, billedDays={"type": "integer"}, yearDays={"type": "integer"},
     amountCents={**cents, "description": "annualFeeCents × billedDays ÷ yearDays, half-up to the cent."}, paidCents=cents, creditedCents=cents, openCents=cents, issuedOn=date, dueOn=date),
 "Finalization": obj([], issuedOn=date, dueInDays={"type": "integer", "minimum": 0, "maximum": 365, "default": 30}),
 "NewPayment": obj(["amountCents", "method"], amountCents=MONEY, method={"type": "string", "enum": ["check", "ach", "purchase_order", "other"]}, reference=text(200), receivedOn=date),
 "NewCreditNote": obj(["amountCents", "reason"], amountCents=MONEY, reason=name(500), issuedOn=date),
 "Statement": obj(["tenantId", "invoices", "payments", "creditNotes", "invoicedCents", "paidCents", "creditedCents", "balanceCents"], tenantId=uuid,
     invoices={"type": "array", "items": ref("Invoice")},
     payments={"type": "array", "items": obj(["id", "invoiceId", "amountCents", "method", "reference", "receivedOn"], id=uuid, invoiceId=uuid, amountCents=cents, method=string, reference=string, receivedOn=date)},
     creditNotes={"type": "array", "items": obj(["id", "invoiceId", "amountCents", "reason", "issuedOn"], id=uuid, invoiceId=uuid, amountCents=cents, reason=string, issuedOn=date)},
     invoicedCents=cents, paidCents=cents, creditedCents=cents, balanceCents=cents),
})

number = {"type": "number"}
# A measure's value: under 10^15 in magnitude, kept to 18 decimal places (rounded
# half-even). Magnitudes under 10^-300 other than 0 are refused: JSON parsers read them
# as subnormal doubles or not at all, and they round to 0 here anyway.
quantity = {"description": "A number under 10^15 in magnitude, kept to 18 decimal places (rounded half-even); 0, or at least 10^-300 in magnitude.",
            "anyOf": [{"type": "number", "const": 0}, {"type": "number", "minimum": 1e-300, "maximum": 999999999999999},
                      {"type": "number", "minimum": -999999999999999, "maximum": -1e-300}]}
schemas.update({
 "Measure": obj(["id", "tenantId", "departmentId", "name", "definition", "unit", "direction", "frequency", "sharing"], id=uuid, tenantId=uuid, departmentId=uuid, name=string, definition=string, unit=string,
     direction={"type": "string", "enum": ["higher", "lower"]}, frequency={"type": "string", "enum": ["monthly", "quarterly", "yearly"]}, ownerId=uuid, templateId=uuid, sharing={"type": "string", "enum": ["private", "named", "anonymized"]}),
 "NewMeasure": {**obj(["departmentId"], departmentId=uuid, templateId=uuid, name=name(), definition=text(2000), unit=name(50),
     direction={"type": "string", "enum": ["higher", "lower"]}, frequency={"type": "string", "enum": ["monthly", "quarterly", "yearly"]}, ownerId=NULLABLE_UUID, sharing={"type": "string", "enum": ["private", "named", "anonymized"]}),
     "description": "From a library template (templateId), the template gives what is not sent; otherwise name, unit, direction and frequency are required.",
     "if": {"required": ["templateId"]}, "then": {}, "else": {"required": ["name", "unit", "direction", "frequency"]}},
 "MeasurePatch": obj([], departmentId=uuid, name=name(), definition=text(2000), unit=name(50), ownerId=NULLABLE_UUID, sharing={"type": "string", "enum": ["private", "named", "anonymized"]}),
 "Target": obj(["fiscalYear", "value", "toleranceBasisPoints"], fiscalYear={"type": "integer", "minimum": 2000, "maximum": 2200}, value=quantity, toleranceBasisPoints={"type": "integer", "minimum": 0, "maximum": 10000}),
 "TargetRequest": obj(["value"], value=quantity, toleranceBasisPoints={"type": "integer", "minimum": 0, "maximum": 10000, "default": 1000, "description": "The tolerance band in basis points of the target (1000 = 10 %)."}),
 "DataPoint": obj(["period", "value", "note", "status"], period=date, value=number, note=string, status={"type": "string", "enum": ["provisional", "validated"]}, enteredBy=uuid, validatedBy=uuid),
 "NewDataPoint": obj(["period", "value"], period=date, value=quantity, note=text(1000), reason=name(500)),
 "DataPage": obj(["measureId", "items"], measureId=uuid, items={"type": "array", "items": ref("DataPoint")}, nextCursor={"type": "string"}),
 "Signoff": obj(["periods"], periods={"type": "array", "minItems": 1, "maxItems": 1000, "items": date}),
 "ImportResult": obj(["rows", "written", "unchanged"], rows={"type": "integer"}, written={"type": "integer"}, unchanged={"type": "integer"}),
 "Dashboard": obj(["tenantId", "fiscalYear", "measures"], tenantId=uuid, fiscalYear={"type": "integer"}, measures={"type": "array", "items": obj(["measure", "status", "trend", "points"],
     measure=ref("Measure"), target=number, toleranceBasisPoints={"type": "integer"}, latest=number, status={"type": "string", "enum": ["green", "yellow", "red", "grey"]},
     trend={"type": "string", "enum": ["improving", "steady", "worsening", "unknown"]}, points={"type": "array", "items": obj(["period", "value"], period=date, value=number)})}),
 "Meeting": obj(["id", "tenantId", "heldOn", "title", "attendees"], id=uuid, tenantId=uuid, heldOn=date, title=string, attendees={"type": "array", "items": string}),
 "NewMeeting": obj(["heldOn", "title"], heldOn=date, title=name(), attendees={"type": "array", "maxItems": 100, "items": name()}),
 "AgendaItem": obj(["id", "title"], id=uuid, title=string, measureId=uuid),
 "NewAgendaItem": obj(["title"], title=name(300), measureId=uuid),
 "ActionItem": obj(["id", "title", "status", "overdue"], id=uuid, title=string, ownerId=uuid, dueOn=date, status={"type": "string", "enum": ["open", "done", "dropped"]}, measureId=uuid, meetingId=uuid, overdue={"type": "boolean"}),
 "NewActionItem": obj(["title"], title=name(300), ownerId=NULLABLE_UUID, dueOn=date, measureId=uuid, meetingId=uuid),
 "ActionItemPatch": obj([], title=name(300), ownerId=NULLABLE_UUID, dueOn=date, status={"type": "string", "enum": ["open", "done", "dropped"]}),
 "Agenda": obj(["meeting", "followUps", "standingItems", "newItems"], meeting=ref("Meeting"), followUps={"type": "array", "items": ref("ActionItem")},
     standingItems={"type": "array", "items": obj(["measureId", "name", "status", "trend"], measureId=uuid, name=string, status=string, trend=string, latest=number, target=number)},
     newItems={"type": "array", "items": ref("AgendaItem")}),
 "LibraryMeasure": obj(["name", "unit", "direction", "frequency"], id=uuid, name=name(), definition=text(2000), unit=name(50),
     direction={"type": "string", "enum": ["higher", "lower"]}, frequency={"type": "string", "enum": ["monthly", "quarterly", "yearly"]}),
 "Benchmark": obj(["templateId", "fiscalYear", "named", "anonymizedSharers", "anonymized"], templateId=uuid, fiscalYear={"type": "integer"},
     named={"type": "array", "description": "Values shared by name, per tenant, by tenant name.", "items": obj(["tenantId", "tenantName", "values"], tenantId=uuid, tenantName=string, values={"type": "array", "items": obj(["period", "value"], period=date, value=number)})},
     anonymizedSharers={"type": "integer", "minimum": 0, "description": "Tenants that share anonymously and that you cannot see: only these count toward the three, and only their aggregates are shown."},
     anonymized={"type": "array", "description": "Per period, aggregates of the anonymized values of tenants you cannot see; empty unless at least three such tenants share, and a period only where at least three of them have a value.",
         "items": obj(["period", "sharers", "count", "minimum", "maximum", "mean", "median"], period=date, sharers={"type": "integer", "minimum": 3, "description": "Tenants with a value in the period."},
             count={"type": "integer", "minimum": 3, "description": "Values in the period."}, minimum=number, maximum=number, mean=number, median=number)}),
 "Portfolio": obj(["asOf", "tenants"], asOf=date, tenants={"type": "array", "items": obj(["tenantId", "name", "measures", "measuresInRed", "measuresDue", "openActionItems", "overdueActionItems"],
     tenantId=uuid, name=string, measures={"type": "integer"}, measuresInRed={"type": "integer"}, measuresDue={"type": "integer"}, openActionItems={"type": "integer"}, overdueActionItems={"type": "integer"},
     nextMeeting={**date, "description": "Absent when there is none, or when your role does not read the tenant's meetings."},
     openInvoices={"type": "integer", "description": "Absent when your role does not read the tenant's invoices."})}),
})

for n in ["User", "AuditEvent", "Jurisdiction", "TenantKind", "Tenant", "Department", "Program", "GrantAward", "FundingSource", "Invoice", "Measure", "Meeting", "ActionItem", "LibraryMeasure", "FailedMail"]:
    schemas[n + "Page"] = page_of(n)
# Every write may meet a database constraint the route did not check first (a name taken
# meanwhile, a row gone): the problem middleware answers 409 or 422 for those, so every
# write documents both.
for item in paths.values():
    for method, operation in item.items():
        if method in ("post", "put", "patch", "delete") and operation.get("security") != []:
            for code in ("409", "422"):
                operation["responses"].setdefault(code, P)
            operation["responses"] = dict(sorted(operation["responses"].items()))

doc = {
 "openapi": "3.1.0",
 "info": {"title": "MPMP platform API", "version": "0.2.0",
          "description": "The back end of the Municipal Performance Management Program. Errors are application/problem+json (RFC 9457). Lists are paginated: `limit` (1 to 100, default 50) and the `nextCursor` of the previous page as `cursor`. A tenant you may not see answers 404, exactly like one that does not exist; a visible tenant with an insufficient role answers 403."},
 "servers": [{"url": "http://127.0.0.1:8080"}],
 "security": SEC,
 "paths": paths,
 "components": {
   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A session token from POST /v1/auth/login."},
                       "metricsToken": {"type": "http", "scheme": "bearer", "description": "The METRICS_TOKEN the service was started with."}},
   "parameters": {
     "Limit": {"name": "limit", "in": "query", "required": False, "description": "Items per page.", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
     "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False, "description": "A repeat with the same key returns the first answer; the same key with another request is a 409.", "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"}},
     "Cursor": {"name": "cursor", "in": "query", "required": False, "description": "The nextCursor of the previous page; one this list did not give out answers 404 (there is no such page).", "schema": {"type": "string", "minLength": 1, "maxLength": 512, "pattern": "^[A-Za-z0-9_-]+$"}}},
   "schemas": schemas,
   "responses": {"Problem": {"description": "An error, as application/problem+json.", "content": {"application/problem+json": {"schema": ref("Problem")}}}}}
}
# Two schemas never share a name (DESIGN §7): a name given twice, in one block or across
# `schemas = {…}` and `schemas.update({…})`, would silently keep the last. Read this very
# file's schema blocks and refuse to write the document if one repeats.
def schema_names_given():
    import ast
    tree = ast.parse(open(__file__, encoding="utf-8").read())
    names = []
    for node in ast.walk(tree):
        block = None
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "schemas" for t in node.targets):
            block = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "schemas" and node.args):
            block = node.args[0]
        if isinstance(block, ast.Dict):
            names += [key.value for key in block.keys if isinstance(key, ast.Constant)]
    return names
given = schema_names_given()
repeated = sorted({n for n in given if given.count(n) > 1})
if repeated:
    raise SystemExit(f"openapi.py: schema names given twice: {', '.join(repeated)}")

print(json.dumps(doc, indent=2))
