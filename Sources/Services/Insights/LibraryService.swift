import Domain
import Foundation
import Storage

/// The measure library: templates the Center publishes so that towns measure the same
/// thing the same way.
public struct LibraryService: Sendable {
    let services: Services

    public struct NewTemplate: Sendable {
        public var name: String
        public var definition: String?
        public var unit: String
        public var direction: Direction
        public var frequency: Frequency

        public init(name: String, definition: String?, unit: String, direction: Direction, frequency: Frequency) {
            self.name = name
            self.definition = definition
            self.unit = unit
            self.direction = direction
            self.frequency = frequency
        }
    }

    /// A page of templates by name, after the name `cursor`.
    public func list(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [MeasureTemplateRecord] {
        try await services.global(caller, .readLibrary, target: "library/measures") { work in
            try await work.stores.measures.templates(after: cursor, limit: limit, on: work.connection)
        }
    }

    /// Publishes a template (Center admins); 409 when the library has one of that name.
    public func publish(_ caller: Caller, _ command: NewTemplate) async throws -> MeasureTemplateRecord {
        try await services.global(caller, .publishLibrary, target: "library/measures") { work in
            var validation = Validation()
            let name = validation.text(command.name, field: "name")
            let unit = validation.text(command.unit, field: "unit", maximumLength: 50)
            let definition = command.definition ?? ""
            if definition.count > 2000 { validation.fail("definition", "must be at most 2000 characters") }
            try validation.check()
            let template = MeasureTemplateRecord(
                id: UUID(), name: name ?? "", definition: definition, unit: unit ?? "", direction: command.direction, frequency: command.frequency
            )
            guard try await work.stores.measures.publish(template, by: work.userID, on: work.connection) else {
                throw ServiceError.conflict("The library has a measure named \(template.name).")
            }
            try await work.audit("library.publish", target: "library/measures/\(template.id)")
            return template
        }
    }
}

extension Services {
    public var library: LibraryService { LibraryService(services: self) }
}
