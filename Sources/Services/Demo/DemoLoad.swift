import Billing
import Domain
import Foundation
import Logging
import PostgresNIO
import Storage

/// One load, step by step, on one connection in one transaction.
struct DemoLoad {
    let connection: PostgresConnection
    let logger: Logger
    let hashes: [String: String]

    var catalog: CatalogStore { CatalogStore(logger: logger) }
    var programs: ProgramStore { ProgramStore(logger: logger) }
    var tenants: TenantStore { TenantStore(logger: logger) }
    var users: UserStore { UserStore(logger: logger) }
    var invoices: InvoiceStore { InvoiceStore(logger: logger) }
    var measures: MeasureStore { MeasureStore(logger: logger) }
    var meetings: MeetingStore { MeetingStore(logger: logger) }

    static let townDepartments = ["Police", "Public Works", "Inspectional Services", "Library", "Sanitation"]
    static let districtDepartments = ["Office of the Superintendent", "Elementary Schools"]

    /// A constant of the demo that does not read: a bug of this file, reported, not trapped.
    struct DemoDataError: Error, CustomStringConvertible {
        let description: String
    }

    func date(_ text: String) throws -> CivilDate {
        guard let date = CivilDate(iso8601: text) else { throw DemoDataError(description: "demo date \(text) does not read") }
        return date
    }

    static func direction(_ text: String) throws -> Direction {
        guard let direction = Direction(rawValue: text) else { throw DemoDataError(description: "demo direction \(text) does not read") }
        return direction
    }

    static func department(_ name: String, of tenant: DemoTenant) throws -> UUID {
        guard let id = tenant.departments[name] else { throw DemoDataError(description: "\(tenant.name) has no \(name) in the demo") }
        return id
    }

    func run() async throws {
        try await loadCatalogue()
        let director = try await user(DemoProgram.directorEmail, "Director of Municipal Services", password: DemoProgram.directorPassword, admin: true)
        var analysts: [UUID] = []
        for number in 1...8 {
            analysts.append(try await user(DemoProgram.analystEmail(number), "Performance Management Analyst \(number)", password: DemoProgram.analystPassword))
        }
        let towns = try await createTenants(DemoProgram.towns, kind: "municipality", jurisdiction: "MA", departments: Self.townDepartments)
        let districts = try await createTenants(DemoProgram.schoolDistricts, kind: "school_district", jurisdiction: "MA", departments: Self.districtDepartments)
        let prospects = try await createTenants(DemoProgram.rhodeIslandProspects, kind: "municipality", jurisdiction: "RI", departments: Self.townDepartments)
        try await enroll(towns: towns, districts: districts)
        try await assignPortfolios(analysts: analysts, towns: towns, districts: districts, prospects: prospects)
        try await createExecutives(towns: towns, districts: districts)
        try await loadMeasures(director: director, towns: towns, districts: districts)
        try await loadMeetings(towns: Array(towns.prefix(3)), analyst: analysts[0])
        try await loadInvoices(towns: towns, districts: districts, director: director)
    }

    func loadCatalogue() async throws {
        try await catalog.add(JurisdictionRecord(code: "MA", name: "Massachusetts", fiscalYearStartMonth: 7), on: connection)
        try await catalog.add(JurisdictionRecord(code: "RI", name: "Rhode Island", fiscalYearStartMonth: 7), on: connection)
        try await catalog.add(TenantKindRecord(code: "municipality", name: "Municipality", executiveTitle: "Mayor / Town Manager", unitName: "Department", sizeMeasure: "population"), on: connection)
        try await catalog.add(TenantKindRecord(code: "school_district", name: "School district", executiveTitle: "Superintendent", unitName: "School or office", sizeMeasure: "enrollment"), on: connection)
        _ = try await programs.add(FundingSourceRecord(code: "MA-DLS", name: "Massachusetts Division of Local Services", jurisdictionCode: "MA"), on: connection)
        _ = try await programs.add(FundingSourceRecord(code: "RI-DMF", name: "Rhode Island Division of Municipal Finance", jurisdictionCode: "RI"), on: connection)
        _ = try await programs.add(ProgramRecord(code: "MPMP", name: "Municipal Performance Management Program", jurisdictionCode: "MA", tenantKinds: ["municipality"]), on: connection)
        _ = try await programs.add(ProgramRecord(code: "SDPMP", name: "School District Performance Management Program (pilot)", jurisdictionCode: "MA", tenantKinds: ["school_district"]), on: connection)
        _ = try await programs.add(ProgramRecord(code: "RIPMP", name: "Rhode Island Municipal Performance Management Pilot", jurisdictionCode: "RI", tenantKinds: ["municipality"]), on: connection)

        for year in DemoProgram.years {
            try await programs.save(
                ProgramYearRecord(programCode: "MPMP", fiscalYear: year.fiscalYear, budgetCents: year.budgetCents, targetStateShareBasisPoints: year.stateShareBasisPoints, analystHeadcount: year.analysts),
                on: connection
            )
            if !year.tiers.isEmpty {
                try await programs.save(try FeeSchedule(tiers: year.tiers.map { .init(minimumSize: $0.0, feeCents: $0.1) }), program: "MPMP", fiscalYear: year.fiscalYear, on: connection)
            }
            let grant = Rounding.halfUp(year.budgetCents, times: Int64(year.stateShareBasisPoints), dividedBy: 10_000)
            try await programs.award(
                GrantAwardRecord(id: DemoProgram.id("grant/MPMP/\(year.fiscalYear)"), fundingSourceCode: "MA-DLS", amountCents: grant, awardedOn: date("\(year.fiscalYear - 1)-07-01")),
                program: "MPMP", fiscalYear: year.fiscalYear, on: connection
            )
        }
        try await programs.save(ProgramYearRecord(programCode: "SDPMP", fiscalYear: 2015, budgetCents: 12_000_000, targetStateShareBasisPoints: 5_000, analystHeadcount: 1), on: connection)
        try await programs.save(try FeeSchedule.flat(2_000_000), program: "SDPMP", fiscalYear: 2015, on: connection)
        try await programs.award(
            GrantAwardRecord(id: DemoProgram.id("grant/SDPMP/2015"), fundingSourceCode: "MA-DLS", amountCents: 6_000_000, awardedOn: date("2014-07-01")),
            program: "SDPMP", fiscalYear: 2015, on: connection
        )
        // Rhode Island considers a pilot of its own, funded by its own state; its towns are
        // prospects, not yet enrolled.
        try await programs.save(ProgramYearRecord(programCode: "RIPMP", fiscalYear: 2015, budgetCents: 15_000_000, targetStateShareBasisPoints: 10_000, analystHeadcount: 1), on: connection)
        try await programs.award(
            GrantAwardRecord(id: DemoProgram.id("grant/RIPMP/2015"), fundingSourceCode: "RI-DMF", amountCents: 15_000_000, awardedOn: date("2015-05-01")),
            program: "RIPMP", fiscalYear: 2015, on: connection
        )
    }

    func user(_ email: String, _ name: String, password: String, admin: Bool = false) async throws -> UUID {
        guard let user = try await users.create(email: email, displayName: name, passwordHash: hashes[password], isCenterAdmin: admin, on: connection) else {
            throw DemoError.alreadyLoaded(email)
        }
        return user.id
    }

    struct DemoTenant {
        let id: UUID
        let name: String
        let departments: [String: UUID]
    }

    func createTenants(_ list: [DemoProgram.Town], kind: String, jurisdiction: String, departments: [String]) async throws -> [DemoTenant] {
        var created: [DemoTenant] = []
        for town in list {
            let id = DemoProgram.id("tenant/\(town.name)")
            try await tenants.create(Tenant(id: id, name: town.name, kindCode: kind, jurisdictionCode: jurisdiction, population: town.population), on: connection)
            var ids: [String: UUID] = [:]
            for department in departments {
                let departmentID = DemoProgram.id("department/\(town.name)/\(department)")
                try await tenants.createDepartment(Department(tenantID: id, id: departmentID, name: department), on: connection)
                ids[department] = departmentID
            }
            created.append(DemoTenant(id: id, name: town.name, departments: ids))
        }
        return created
    }

    func enroll(towns: [DemoTenant], districts: [DemoTenant]) async throws {
        for (index, town) in towns.enumerated() {
            if index < 20 {  // the six-month pilot: January to June 2013
                _ = try await invoices.enroll(tenantID: town.id, program: "MPMP", fiscalYear: 2013, joinedOn: date("2013-01-01"), on: connection)
            }
            if index < 36 {
                _ = try await invoices.enroll(tenantID: town.id, program: "MPMP", fiscalYear: 2014, joinedOn: date("2013-07-01"), on: connection)
            }
            if index < 42 {
                let joined = index < 40 ? "2014-07-01" : "2015-01-01"  // two towns join mid-year
                _ = try await invoices.enroll(tenantID: town.id, program: "MPMP", fiscalYear: 2015, joinedOn: date(joined), on: connection)
            }
        }
        for district in districts {
            _ = try await invoices.enroll(tenantID: district.id, program: "SDPMP", fiscalYear: 2015, joinedOn: date("2014-09-01"), on: connection)
        }
    }

    func assignPortfolios(analysts: [UUID], towns: [DemoTenant], districts: [DemoTenant], prospects: [DemoTenant]) async throws {
        // Seven MPMP analysts share the 42 towns of FY2015, six each.
        for (index, town) in towns.prefix(42).enumerated() {
            try await users.assignPortfolio(analyst: analysts[index % 7], tenant: town.id, on: connection)
        }
        // The SDPMP analyst also follows the Rhode Island prospects: both states, both kinds.
        for tenant in districts + prospects.prefix(2) {
            try await users.assignPortfolio(analyst: analysts[7], tenant: tenant.id, on: connection)
        }
    }

    func createExecutives(towns: [DemoTenant], districts: [DemoTenant]) async throws {
        let amherst = towns[0]
        let manager = try await user("manager@amherst.demo", "Town Manager of Amherst", password: DemoProgram.chiefExecutivePassword)
        try await users.addMembership(tenant: amherst.id, user: manager, role: .chiefExecutive, on: connection)
        let dpw = try await user("dpw@amherst.demo", "Director of Public Works", password: DemoProgram.departmentHeadPassword)
        try await users.addMembership(tenant: amherst.id, user: dpw, role: .departmentHead(departmentID: try Self.department("Public Works", of: amherst)), on: connection)
        let superintendent = try await user("superintendent@worcester-schools.demo", "Superintendent of Schools", password: DemoProgram.chiefExecutivePassword)
        try await users.addMembership(tenant: districts[0].id, user: superintendent, role: .chiefExecutive, on: connection)
    }

    func loadMeasures(director: UUID, towns: [DemoTenant], districts: [DemoTenant]) async throws {
        let townTemplates = try await publish(DemoProgram.templates, director: director)
        let districtTemplates = try await publish(DemoProgram.schoolTemplates, director: director)
        let months = (0..<36).compactMap { CivilDate(year: 2012 + ($0 + 6) / 12, month: ($0 + 6) % 12 + 1, day: 1) }
        for (index, town) in towns.prefix(42).enumerated() {
            let departments = Self.townDepartments
            var rows: [ImportRow] = []
            for (number, (template, templateID)) in zip(DemoProgram.templates, townTemplates).enumerated() {
                let sharing: Sharing =
                    switch number {
                    case 2: .private
                    case 3: .anonymized
                    case 4: .named
                    default: index % 2 == 0 ? .named : .anonymized
                    }
                let measure = try await adopt(template, templateID, tenant: town, department: departments[number], sharing: sharing, key: number)
                rows += months.enumerated().map { month, period in
                    ImportRow(measureID: measure.id, period: period, value: DemoProgram.value(template: number, tenant: index, month: month, low: template.low, high: template.high), note: "")
                }
            }
            try await measures.write(rows, tenantID: town.id, by: director, reason: "Demo data: three years", on: connection)
        }
        for (index, district) in districts.enumerated() {
            var rows: [ImportRow] = []
            for (number, (template, templateID)) in zip(DemoProgram.schoolTemplates, districtTemplates).enumerated() {
                let measure = try await adopt(template, templateID, tenant: district, department: Self.districtDepartments[number], sharing: .named, key: number)
                rows += months.enumerated().map { month, period in
                    ImportRow(measureID: measure.id, period: period, value: DemoProgram.value(template: 10 + number, tenant: index, month: month, low: template.low, high: template.high), note: "")
                }
            }
            try await measures.write(rows, tenantID: district.id, by: director, reason: "Demo data: three years", on: connection)
        }
    }

    func publish(_ templates: [DemoProgram.Template], director: UUID) async throws -> [UUID] {
        var ids: [UUID] = []
        for template in templates {
            let record = MeasureTemplateRecord(
                id: DemoProgram.id("template/\(template.name)"), name: template.name, definition: template.definition, unit: template.unit,
                direction: try Self.direction(template.direction), frequency: .monthly
            )
            _ = try await measures.publish(record, by: director, on: connection)
            ids.append(record.id)
        }
        return ids
    }

    func adopt(_ template: DemoProgram.Template, _ templateID: UUID, tenant: DemoTenant, department: String, sharing: Sharing, key: Int) async throws -> MeasureRecord {
        let measure = MeasureRecord(
            tenantID: tenant.id, id: DemoProgram.id("measure/\(tenant.name)/\(template.name)"), departmentID: try Self.department(department, of: tenant),
            name: template.name, definition: template.definition, unit: template.unit, direction: try Self.direction(template.direction),
            frequency: .monthly, ownerID: nil, templateID: templateID, sharing: sharing
        )
        _ = try await measures.create(measure, on: connection)
        for year in 2013...2015 {
            try await measures.setTarget(TargetRecord(fiscalYear: year, value: template.target, toleranceBasisPoints: 1_000), measure: measure, on: connection)
        }
        return measure
    }

    func loadMeetings(towns: [DemoTenant], analyst: UUID) async throws {
        let dates = ["2014-10-07", "2014-11-04", "2014-12-02", "2015-01-06"]
        for town in towns {
            for (number, heldOn) in dates.enumerated() {
                let meeting = MeetingRecord(
                    id: DemoProgram.id("meeting/\(town.name)/\(heldOn)"), heldOn: try date(heldOn), title: "\(town.name)Stat",
                    attendees: ["Town Manager", "Director of Public Works", "Police Chief", "Performance Management Analyst"]
                )
                try await meetings.create(meeting, tenantID: town.id, by: analyst, on: connection)
                guard number < dates.count - 1 else { continue }
                let items: [(String, String, Bool)] = [
                    ("Publish the pothole map on the town website", "Public Works", number == 0),
                    ("Review overtime in the patrol schedule", "Police", false),
                ]
                for (index, (title, department, done)) in items.enumerated() {
                    let measureName = department == "Police" ? "Police emergency response time" : "Pothole repair time"
                    try await meetings.create(
                        ActionItemRecord(
                            id: DemoProgram.id("action/\(town.name)/\(heldOn)/\(index)"), title: title, ownerID: nil,
                            dueOn: date(heldOn).adding(days: 21), status: done ? .done : .open,
                            measureID: DemoProgram.id("measure/\(town.name)/\(measureName)"), meetingID: meeting.id
                        ),
                        tenantID: town.id, on: connection
                    )
                }
            }
        }
    }

    func loadInvoices(towns: [DemoTenant], districts: [DemoTenant], director: UUID) async throws {
        let run = InvoiceRun(logger: logger)
        _ = try await run.run(program: "MPMP", fiscalYear: 2014, on: connection)
        _ = try await run.run(program: "MPMP", fiscalYear: 2015, on: connection)
        _ = try await run.run(program: "SDPMP", fiscalYear: 2015, on: connection)
        // FY2014: invoiced in August 2013, all paid by check.
        for town in towns.prefix(36) {
            for invoice in try await invoices.invoices(tenantID: town.id, after: nil, limit: 10, on: connection) where invoice.fiscalYear == 2014 {
                let finalized = try await invoices.finalize(invoice, issuedOn: date("2013-08-01"), dueInDays: 30, on: connection)
                try await pay(finalized, cents: finalized.amountCents, on: date("2013-09-12"), by: director)
            }
        }
        // FY2015: invoiced through the year; some paid, some in part, some not yet.
        let issueDates = ["2014-08-01", "2014-11-03", "2015-01-15", "2015-02-16"]
        for (index, town) in towns.prefix(42).enumerated() {
            for invoice in try await invoices.invoices(tenantID: town.id, after: nil, limit: 10, on: connection) where invoice.fiscalYear == 2015 && invoice.programCode == "MPMP" {
                let issued = try date(index >= 40 ? "2015-01-15" : issueDates[index % 4])
                let finalized = try await invoices.finalize(invoice, issuedOn: issued, dueInDays: 30, on: connection)
                switch index % 5 {
                case 0: continue
                case 1: try await pay(finalized, cents: finalized.amountCents / 2, on: issued.adding(days: 40), by: director)
                default: try await pay(finalized, cents: finalized.amountCents, on: issued.adding(days: 25), by: director)
                }
            }
        }
        for (index, district) in districts.enumerated() {
            for invoice in try await invoices.invoices(tenantID: district.id, after: nil, limit: 10, on: connection) where invoice.programCode == "SDPMP" {
                let finalized = try await invoices.finalize(invoice, issuedOn: date("2014-09-15"), dueInDays: 30, on: connection)
                if index == 0 { try await pay(finalized, cents: finalized.amountCents, on: date("2014-10-10"), by: director) }
            }
        }
    }

    func pay(_ invoice: InvoiceRecord, cents: Int64, on day: CivilDate, by director: UUID) async throws {
        let payment = PaymentRecord(id: UUID(), invoiceID: invoice.id, amountCents: cents, method: .check, reference: "Check \(invoice.number ?? "")", receivedOn: day)
        try await invoices.record(payment, tenantID: invoice.tenantID, by: director, on: connection)
        if invoice.balance.statusAfter(paying: cents) == .paid {
            try await invoices.setStatus(.paid, of: invoice, on: connection)
        }
    }
}

enum DemoError: Error, CustomStringConvertible {
    case alreadyLoaded(String)

    var description: String {
        switch self {
        case .alreadyLoaded(let email): "a user \(email) exists already; the demo loads into an empty database"
        }
    }
}
