namespace NotebookRunner.Doctor;

/// <summary>How a doctor check came out.</summary>
public enum Outcome
{
    /// <summary>All good.</summary>
    Pass,
    /// <summary>Works, but something deserves attention.</summary>
    Warn,
    /// <summary>Broken: the course will not work until the fix is applied.</summary>
    Fail,
}

/// <summary>The result of one doctor check.</summary>
/// <param name="Name">Short name of what was checked.</param>
/// <param name="Outcome">Pass, warn or fail.</param>
/// <param name="Detail">What was found (one or more lines).</param>
/// <param name="Fix">What to do about a warning or failure; null when nothing is needed.</param>
public sealed record DoctorCheck(string Name, Outcome Outcome, string Detail, string? Fix = null)
{
    /// <summary>Writes the check as the doctor prints it: a status column, the name, details and the fix.</summary>
    public void WriteTo(TextWriter output)
    {
        var status = Outcome switch
        {
            Outcome.Pass => "PASS",
            Outcome.Warn => "WARN",
            _ => "FAIL",
        };
        var lines = Detail.Split('\n');
        output.WriteLine($"{status}  {Name,-18} {lines[0]}");
        foreach (var line in lines.Skip(1))
            output.WriteLine($"{"",-24} {line}");
        if (Fix is not null)
        {
            foreach (var (line, i) in Fix.Split('\n').Select((l, i) => (l, i)))
                output.WriteLine($"{"",-24} {(i == 0 ? "fix: " : "     ")}{line}");
        }
    }
}
