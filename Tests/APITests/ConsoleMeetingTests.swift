import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Services
import TestSupport
import Testing

/// Stat meetings in the console: scheduling, the drafted agenda, adding to it, raising an
/// action item, the printable memo, and an owner closing their action item.
@Suite("Console: meetings and action items")
struct ConsoleMeetingTests {
    @Test("an analyst schedules a meeting, adds to its drafted agenda, raises an action item and prints the memo; the owner marks it done")
    func meeting() async throws {
        try await withWorld { client, world, _ in
            _ = try await PerformanceTests.measure(client, world, name: "Pothole repair days")
            let tenant = world.tenantA.uuidString.lowercased()
            let analyst = try await ConsoleBillingTests.signedIn(client, world.analystA)

            let list = try await analyst.get("/tenants/\(tenant)/meetings")
            #expect(list.status == .ok && list.text.contains("No meeting yet.") && list.text.contains("Schedule a meeting"))
            let noDay = try await analyst.post("/tenants/\(tenant)/meetings", ["title": "DPW stat, March", "heldOn": ""])
            #expect(noDay.status == .unprocessableContent)
            #expect(noDay.text.contains("id=\"field-heldOn-error\"") && noDay.text.contains("Day is needed."))
            let scheduled = try await analyst.post("/tenants/\(tenant)/meetings", ["title": "DPW stat, March", "heldOn": "2015-03-10", "attendees": "Pat Manager, Lee Director"])
            #expect(scheduled.status == .seeOther)
            let path = try #require(scheduled.headers[.location])
            #expect(path.hasPrefix("/tenants/\(tenant)/meetings/"))

            let page = try await analyst.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("1. Follow-ups") && page.text.contains("2. Measures to discuss") && page.text.contains("3. New items"))
            #expect(page.text.contains("Attendees: Pat Manager, Lee Director"))

            let item = try await analyst.post("\(path)/agenda-items", ["title": "Snow and ice budget", "measureId": ""])
            #expect(item.headers[.location] == "\(path)?added=item")
            let untitled = try await analyst.post("\(path)/action-items", ["title": " ", "ownerId": world.headA.id.uuidString.lowercased()])
            #expect(untitled.status == .unprocessableContent)
            #expect(untitled.text.contains("id=\"field-title-action-error\""))
            let badDay = try await analyst.post("\(path)/action-items", ["title": "Fix the backlog", "dueOn": "2015-02-30"])
            #expect(badDay.status == .unprocessableContent && badDay.text.contains("id=\"field-dueOn-action-error\""))
            let raised = try await analyst.post(
                "\(path)/action-items", ["title": "Clear the pothole backlog", "ownerId": world.headA.id.uuidString.lowercased(), "dueOn": "2015-04-01"]
            )
            #expect(raised.headers[.location] == "\(path)?added=action")
            let after = try await analyst.get("\(path)?added=action")
            #expect(after.text.contains("The action item is raised.") && after.text.contains("Snow and ice budget"))
            #expect(after.text.contains("Clear the pothole backlog · head-a · due 2015-04-01 · Open"))

            let memo = try await analyst.get("\(path)/memo")
            #expect(memo.status == .ok)
            #expect(memo.text.contains("<dt>To</dt><dd>Pat Manager, Lee Director</dd>") && memo.text.contains("Snow and ice budget"))
            #expect(memo.text.contains("Clear the pothole backlog") && !memo.text.contains("/agenda-items\""))
            #expect(!memo.text.contains("(about )"))  // an item about no measure says nothing of one
            #expect(try await analyst.get("/tenants/\(tenant)/meetings").text.contains("DPW stat, March"))

            // The owner closes it from their action items; a department head has no meetings.
            let head = try await ConsoleBillingTests.signedIn(client, world.headA)
            let board = try await head.get("/tenants/\(tenant)/action-items")
            #expect(board.status == .ok && board.text.contains("Clear the pothole backlog") && board.text.contains("Mark done"))
            let itemPath = try #require(board.text.range(of: "/tenants/\(tenant)/action-items/")).upperBound
            let itemID = String(board.text[itemPath...].prefix(36))
            #expect(try await head.post("/tenants/\(tenant)/action-items/\(itemID)", ["status": "done"]).status == .seeOther)
            #expect(try await head.get("/tenants/\(tenant)/action-items").text.contains("<td>Done</td>"))
            #expect(try await head.get(path).status == .forbidden)
            #expect(try await head.post("/tenants/\(tenant)/meetings", ["title": "Mine", "heldOn": "2015-03-10"]).status == .forbidden)
            #expect(try await analyst.post("\(path)/agenda-items", ["title": "Forged"], csrf: false).status == .forbidden)
            #expect(!(try await analyst.get(path).text.contains("Forged")))
        }
    }
}
