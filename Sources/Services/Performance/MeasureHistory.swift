import Domain
import Foundation
import Storage

/// A measure's values and every change to them, for its export; one transaction.
extension DataPointService {
    public struct History: Sendable {
        public var measure: MeasureRecord
        public var points: [DataPointRecord]
        public var revisions: [DataRevision]
    }

    public func history(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID) async throws -> History {
        try await services.onMeasure(caller, tenantID, measureID, .readMeasures) { work, measure in
            History(
                measure: measure, points: try await work.stores.measures.dataPoints(measure: measure, on: work.connection),
                revisions: try await work.stores.measures.revisions(measure: measure, on: work.connection)
            )
        }
    }
}
