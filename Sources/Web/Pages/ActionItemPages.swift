import Domain
import Foundation
import Hummingbird
import Services

/// A town's action items (a department head's: their own), open first, overdue ones said
/// so; the owner, or those who run the meetings, mark one done or dropped, or open again.
struct ActionItemPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/action-items") { request, context in
            await list(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/action-items/{id}") { request, context in
            try await setStatus(
                request, tenant: context.parameters.get("t") ?? "", item: context.parameters.get("id") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
    }

    static let statusWords: [ActionItemStatus: String] = [.open: "Open", .done: "Done", .dropped: "Dropped"]

    func list(_ request: Request, tenant text: String, clientAddress: String?, alerts: [String] = [], status: HTTPResponse.Status = .ok) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/action-items") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let board = try await services.actionItems.board(caller, tenantID)
            let tenant = tenantID.uuidString.lowercased()
            let order: [ActionItemStatus: Int] = [.open: 0, .done: 1, .dropped: 2]
            let ordered = board.items.sorted { left, right in
                let first = (order[left.item.status] ?? 3, left.isOverdue ? 0 : 1, left.item.dueOn ?? .latest)
                let second = (order[right.item.status] ?? 3, right.isOverdue ? 0 : 1, right.item.dueOn ?? .latest)
                return first != second ? first < second : left.item.title < right.item.title
            }
            let items: [[String: Any]] = ordered.map { tracked in
                let item = tracked.item
                let mayChange = board.mayManage || item.ownerID == board.readerID
                var values: [String: Any] = [
                    "id": item.id.uuidString.lowercased(), "title": item.title, "owner": item.ownerID.flatMap { board.people[$0] } ?? "No one yet",
                    "due": item.dueOn?.description ?? "—", "overdue": tracked.isOverdue, "status": Self.statusWords[item.status] ?? item.status.rawValue,
                    "action": "/tenants/\(tenant)/action-items/\(item.id.uuidString.lowercased())",
                ]
                if mayChange {
                    values["choices"] = ActionItemStatus.allCases.filter { $0 != item.status }.map {
                        ["value": $0.rawValue, "label": $0 == .open ? "Open again" : "Mark \(Self.statusWords[$0]?.lowercased() ?? $0.rawValue)"]
                    }
                }
                return values
            }
            let overdue = board.items.filter(\.isOverdue).count
            return console.page(
                "action-items", title: "\(board.tenantName): action items", request: request,
                values: [
                    "items": items, "hasItems": !items.isEmpty, "overdue": overdue, "tenantID": tenant, "mine": !board.mayManage,
                ],
                signedIn: .init(name: board.readerName), alerts: alerts,
                notice: request.uri.queryParameters["saved"] != nil ? "The action item is updated." : nil, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func setStatus(_ request: Request, tenant text: String, item itemText: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/action-items/{id}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let itemID = UUID(uuidString: itemText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        guard let status = form["status"].flatMap(ActionItemStatus.init(rawValue:)) else {
            return await list(request, tenant: text, clientAddress: clientAddress, alerts: ["Choose open, done or dropped."], status: .unprocessableContent)
        }
        do {
            _ = try await services.actionItems.update(caller, tenantID, itemID, .init(title: nil, ownerID: nil, dueOn: nil, status: status))
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/action-items?saved=1")
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
