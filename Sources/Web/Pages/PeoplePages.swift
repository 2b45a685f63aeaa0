import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// People (Center admins): everyone by e-mail, a page at a time, with each analyst's towns;
/// adding someone, assigning a town to an analyst or taking it back, disabling an account.
struct PeoplePages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/users") { request, context in
            await list(request, clientAddress: context.clientAddress)
        }
        router.post("/users") { request, context in
            try await act("add", request, clientAddress: context.clientAddress, context: context)
        }
        router.post("/users/portfolio") { request, context in
            try await act("assign", request, clientAddress: context.clientAddress, context: context)
        }
        router.post("/users/{id}/disable") { request, context in
            try await act("disable", request, user: context.parameters.get("id"), clientAddress: context.clientAddress, context: context)
        }
        router.post("/users/{id}/portfolio/{t}/remove") { request, context in
            try await act(
                "remove", request, user: context.parameters.get("id"), tenant: context.parameters.get("t"), clientAddress: context.clientAddress,
                context: context
            )
        }
    }

    static let pageSize = 50

    /// A form of the page that came back with errors.
    struct Failed {
        var form: String
        var sent: Form
        var failures: [FieldError]
    }

    func list(_ request: Request, clientAddress: String?, failed: Failed? = nil, alerts: [String] = [], status: HTTPResponse.Status = .ok) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /users") else { return Pages.redirect(to: "/login") }
        let after = request.uri.queryParameters["after"].map(String.init)
        do {
            let directory = try await services.users.directory(caller, after: after, limit: Self.pageSize)
            let people: [[String: Any]] = directory.users.map { user in
                let id = user.id.uuidString.lowercased()
                let towns = (directory.portfolios[user.id] ?? []).map { town in
                    ["name": town.name, "action": "/users/\(id)/portfolio/\(town.id.uuidString.lowercased())/remove"]
                }
                var values: [String: Any] = [
                    "name": user.displayName.isEmpty ? "—" : user.displayName, "email": user.email, "towns": towns, "hasTowns": !towns.isEmpty,
                    "role": user.isCenterAdmin ? "Center admin" : towns.isEmpty ? "" : "Analyst",
                    "state": user.isDisabled ? "Disabled" : user.hasPassword ? "Active" : "Invited, no password yet",
                ]
                if !user.isDisabled, user.id != directory.readerID { values["disable"] = "/users/\(id)/disable" }
                return values
            }
            var addFields = [
                Field(name: "email", label: "E-mail address", type: "email", value: failed?.form == "add" ? failed?.sent["email"] ?? "" : "", autocomplete: "off", idSuffix: "-add"),
                Field(name: "displayName", label: "Name", value: failed?.form == "add" ? failed?.sent["displayName"] ?? "" : "", autocomplete: "off", required: false, idSuffix: "-add"),
                Field(name: "password", label: "First password", type: "password", autocomplete: "new-password", hint: "8 characters or more; tell it to them, they can change it.", idSuffix: "-add"),
                Field(
                    name: "role", label: "Role", value: failed?.form == "add" ? failed?.sent["role"] ?? "analyst" : "analyst", idSuffix: "-add",
                    options: [("analyst", "Analyst (then assign towns)"), ("center_admin", "Center admin")]
                ),
            ]
            var assignFields = [
                Field(name: "user", label: "Analyst", value: failed?.form == "assign" ? failed?.sent["user"] ?? "" : "", idSuffix: "-assign", options: directory.analysts.map { ($0.id.uuidString.lowercased(), $0.name) }),
                Field(name: "tenant", label: "Town", value: failed?.form == "assign" ? failed?.sent["tenant"] ?? "" : "", idSuffix: "-assign", options: directory.tenants.map { ($0.id.uuidString.lowercased(), $0.name) }),
            ]
            var general = alerts
            if let failed {
                general += failed.form == "add" ? Field.placing(failed.failures, on: &addFields) : Field.placing(failed.failures, on: &assignFields)
            }
            var values: [String: Any] = [
                "people": people, "addFields": addFields.map(\.values), "assignFields": assignFields.map(\.values), "wide": true,
            ]
            if let next = directory.next { values["next"] = Pages.link("/users", [("after", next)]) }
            if after != nil { values["first"] = "/users" }
            let done = request.uri.queryParameters["done"].map(String.init)
            let notices = ["add": "The account is created.", "assign": "The town is in the analyst's portfolio.", "remove": "The town is out of the analyst's portfolio.", "disable": "The account is disabled and signed out."]
            return console.page(
                "users", title: "People", request: request, values: values, signedIn: .init(name: directory.readerName),
                alerts: general + (addFields + assignFields).compactMap(\.error), notice: done.flatMap { notices[$0] }, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func act(
        _ action: String, _ request: Request, user: String? = nil, tenant: String? = nil, clientAddress: String?, context: some RequestContext
    ) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /users (\(action))") else {
            return Pages.redirect(to: "/login")
        }
        do {
            switch action {
            case "add":
                _ = try await services.users.create(
                    caller,
                    .init(email: form["email"] ?? "", displayName: form["displayName"], password: form["password"] ?? "", centerAdmin: form["role"] == "center_admin")
                )
            case "assign":
                guard let userID = form["user"].flatMap(UUID.init(uuidString:)), let tenantID = form["tenant"].flatMap(UUID.init(uuidString:)) else {
                    throw ServiceError.invalid("user", "and the town must be chosen")
                }
                try await services.users.assignPortfolio(caller, analyst: userID, tenant: tenantID)
            case "remove":
                guard let userID = user.flatMap(UUID.init(uuidString:)), let tenantID = tenant.flatMap(UUID.init(uuidString:)) else {
                    throw ServiceError.notFound
                }
                try await services.users.removePortfolio(caller, analyst: userID, tenant: tenantID)
            default:
                guard let userID = user.flatMap(UUID.init(uuidString:)) else { throw ServiceError.notFound }
                _ = try await services.users.disable(caller, userID)
            }
            return Pages.redirect(to: "/users?done=\(action)")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await list(request, clientAddress: clientAddress, failed: Failed(form: action, sent: form, failures: failures), status: .unprocessableContent)
        } catch ServiceError.conflict(let detail) {
            let failures = action == "add" ? [FieldError(field: "email", reason: "cannot be used: \(detail)")] : []
            return await list(
                request, clientAddress: clientAddress, failed: Failed(form: action, sent: form, failures: failures), alerts: action == "add" ? [] : [detail],
                status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
