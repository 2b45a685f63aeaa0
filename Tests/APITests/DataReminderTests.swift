@testable import Services
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO

import Storage
import TestSupport
import Testing

/// Data-due reminders (DESIGN §12): one per measure and period, whatever runs twice.
@Suite("Data-due reminders")
struct DataReminderTests {
    func reminders(to recipient: String, about names: [String], _ database: TestDatabase) async throws -> [String] {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            let rows = try await connection.query(
                "SELECT subject FROM outbox WHERE recipient = \(recipient) ORDER BY subject", logger: TestDatabases.logger
            )
            var subjects: [String] = []
            for try await subject in rows.decode(String.self) where names.contains(where: { subject.contains($0) }) {
                subjects.append(subject)
            }
            return subjects
        }
    }

    @Test("on the due day, each owner gets one reminder per measure without last month's value, also when two workers run twice")
    func oncePerMeasureAndPeriod() async throws {
        try await withWorld { client, world, database in
            let names = ["Reminder potholes", "Reminder permits", "Reminder complaints"]
            var ids: [String] = []
            for name in names {
                ids.append(try await PerformanceTests.measure(client, world, name: name, extra: ["ownerId": world.headA.id.uuidString]))
            }
            // February 2015 is in for the first measure only.
            let entered = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/measures/\(ids[0])/data", as: world.headA, json: ["period": "2015-02-01", "value": 12]
            )
            #expect(entered.status == .created, "\(entered.text)")

            try await withDatabase(database.serviceURL) { db in
                let dueDay = DataReminders(services: Services(database: db, clock: .fixed(try #require(CivilDate(iso8601: "2015-03-15")))))
                async let first = dueDay.remindDue()
                async let second = dueDay.remindDue()
                let mailed = try await first + second
                #expect(mailed == 2)
                #expect(try await dueDay.remindDue() == 0)
                let otherDay = DataReminders(services: Services(database: db, clock: .fixed(try #require(CivilDate(iso8601: "2015-03-16")))))
                #expect(try await otherDay.remindDue() == 0)
            }
            let subjects = try await reminders(to: world.headA.email, about: names, database)
            #expect(subjects.count == 2)
            #expect(subjects.allSatisfy { $0.hasSuffix("for February 2015 is due") })
            #expect(subjects.contains { $0.contains("Reminder permits") })
            #expect(subjects.contains { $0.contains("Reminder complaints") })
            #expect(!subjects.contains { $0.contains("Reminder potholes") })

            // A month later, March is asked for, once.
            try await withDatabase(database.serviceURL) { db in
                let april = DataReminders(services: Services(database: db, clock: .fixed(try #require(CivilDate(iso8601: "2015-04-15")))))
                try await april.remindDue()
                try await april.remindDue()
            }
            let later = try await reminders(to: world.headA.email, about: names, database)
            #expect(later.filter { $0.hasSuffix("for March 2015 is due") }.count == 3)
        }
    }

    @Test("a CEO chooses the due day (1 to 28); reminders come on that day, not on the 15th")
    func chosenDueDay() async throws {
        try await withWorld { client, world, database in
            let tenant = "/v1/tenants/\(world.tenantA)"
            #expect(try await client.call(.get, tenant, as: world.ceoA).object()["dataDueDay"] as? Int == 15)
            let refused = try await client.call(.patch, tenant, as: world.ceoA, json: ["dataDueDay": 29])
            #expect(refused.status == .unprocessableContent)
            let byHead = try await client.call(.patch, tenant, as: world.headA, json: ["dataDueDay": 20])
            #expect(byHead.status == .forbidden)
            let changed = try await client.call(.patch, tenant, as: world.ceoA, json: ["dataDueDay": 20])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.object()["dataDueDay"] as? Int == 20)

            _ = try await PerformanceTests.measure(client, world, name: "Reminder day", extra: ["ownerId": world.headA.id.uuidString])
            try await withDatabase(database.serviceURL) { db in
                let fifteenth = DataReminders(services: Services(database: db, clock: .fixed(try #require(CivilDate(iso8601: "2015-03-15")))))
                try await fifteenth.remindDue()
                #expect(try await reminders(to: world.headA.email, about: ["Reminder day"], database).isEmpty)
                let twentieth = DataReminders(services: Services(database: db, clock: .fixed(try #require(CivilDate(iso8601: "2015-03-20")))))
                try await twentieth.remindDue()
            }
            #expect(try await reminders(to: world.headA.email, about: ["Reminder day"], database).count == 1)
        }
    }

    @Test("the period's name in a reminder", arguments: [
        (Frequency.monthly, "2015-02-01", "February 2015"), (.quarterly, "2014-10-01", "the quarter from October 2014"),
        (.yearly, "2013-07-01", "the year from July 2013"),
    ])
    func periodNames(frequency: Frequency, period: String, name: String) throws {
        #expect(DataReminders.periodName(try #require(CivilDate(iso8601: period)), frequency: frequency) == name)
    }
}
