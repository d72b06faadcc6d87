namespace RestorationWorkflow.Workflows.Guards;

/// <summary>The guard types a definition may name, keyed by <see cref="IGuard.Type"/>.</summary>
public sealed class GuardRegistry
{
    private readonly Dictionary<string, IGuard> _guards;

    public GuardRegistry(IEnumerable<IGuard> guards)
    {
        ArgumentNullException.ThrowIfNull(guards);
        _guards = [];
        foreach (var guard in guards)
        {
            if (!_guards.TryAdd(guard.Type, guard))
                throw new InvalidOperationException($"Two guards are registered with type '{guard.Type}'.");
        }
    }

    /// <summary>Every guard the product ships. Register a new guard type here.</summary>
    public static GuardRegistry Default { get; } = new(
    [
        new ChecklistCompleteGuard(),
        new ProjectFieldsCompleteGuard(),
        new RoleMemberGuard(),
        new ParticipationRecordedGuard(),
        new ConsentGrantedGuard(),
        new PlanHasSmartTargetsGuard(),
        new SafeguardsClearedGuard(),
    ]);

    public IReadOnlyCollection<string> Types => _guards.Keys;

    public IGuard? Find(string type) => _guards.GetValueOrDefault(type);

    public IGuard Get(string type) =>
        Find(type) ?? throw new KeyNotFoundException($"No guard of type '{type}' is registered.");
}
