/// The checks of one ebtables rule that need its place: its target, the devices its chain's
/// hook has, the protocol its matches need, and where its target may run.
enum EbtablesRuleChecks {
    /// The extension targets' names, in the registry's order.
    static let extensionTargets = EbtablesModule.all(.target).map(\.name)

    static func check(_ rule: EbtablesRule, chain: String, hooks: [String], in table: EbtablesTable) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ option: EbtablesRule.WrittenOption?) {
            diagnostics.append(.error(message, at: SourceLocation(line: rule.line, column: option?.column ?? 1),
                                      length: option?.length ?? 1))
        }
        func written(_ name: String) -> EbtablesRule.WrittenOption? { rule.options.first { $0.option.name == name } }
        let jump = written("-j")
        let target = rule.target
        if !EbtablesRuleParser.standardVerdicts.contains(target), !extensionTargets.contains(target),
           table.chain(named: target) == nil || EbtablesValidator.isBuiltin(target, table) {
            error("-j \(target): no chain '\(target)' in table \(table.name) (ACCEPT, DROP, CONTINUE, RETURN, "
                  + "a user chain, or \(extensionTargets.joined(separator: ", ")))", jump)
        }
        if let required = EbtablesModule.named(target)?.required, !required.isEmpty,
           !required.contains(where: { written($0) != nil }) {
            error("-j \(target) needs \(required.joined(separator: " or "))", jump)
        }
        if let places = EbtablesModule.allowedPlaces(ofTarget: target) {
            let outside = hooks.filter { hook in !places.contains { $0.table == table.name && $0.chain == hook } }
            if !outside.isEmpty {
                let allowed = places.map { "\($0.table) \($0.chain)" }.joined(separator: ", ")
                error("-j \(target) runs only in \(allowed), not in \(table.name) \(outside.joined(separator: ", "))",
                      jump)
            }
        }
        for problem in EbtBasic.deviceProblems(rule, chain: chain) { error(problem.message, problem.option) }
        protocols(rule, error: error)
        return diagnostics
    }

    /// Each module's protocol (-p), and what each module checks of its options together.
    static func protocols(_ rule: EbtablesRule, error: (String, EbtablesRule.WrittenOption?) -> Void) {
        var reported: Set<String> = []
        let etherType = rule.etherType.flatMap { $0.negated ? nil : $0.value }
        for option in rule.options where !reported.contains(option.option.module) {
            guard let module = EbtablesModule.named(option.option.module), !module.protocols.isEmpty,
                  !module.protocols.contains(etherType ?? 0) else { continue }
            reported.insert(module.name)
            let names = module.protocols.map(EtherTypes.printed).joined(separator: " or -p ")
            error("\(option.option.name) needs -p \(names) "
                  + "(the kernel's \(module.name) \(module.kind) refuses other frames)", option)
        }
        for module in EbtablesModule.all {
            let options = EbtablesOptions(written: rule.options.filter { $0.option.module == module.name })
            guard !options.written.isEmpty else { continue }
            for problem in module.validate(options) { error(problem.message, problem.option) }
        }
    }
}
