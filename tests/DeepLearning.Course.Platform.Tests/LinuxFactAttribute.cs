namespace DeepLearning.Course.Platform.Tests;

/// <summary>A fact about Linux hosts (the libstdc++ fix and ELF files); reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: the libstdc++ compatibility fix concerns Linux hosts.";
    }
}

/// <summary>A theory about Linux hosts; reported as skipped elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: the libstdc++ compatibility fix concerns Linux hosts.";
    }
}
