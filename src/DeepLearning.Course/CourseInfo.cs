namespace DeepLearning.Course;

/// <summary>Version and identity of the helper library (printed by the setup cell).</summary>
/// <remarks>Introduced in chapter 01 (the setup cell).</remarks>
public static class CourseInfo
{
    /// <summary>The library's informational version.</summary>
    public static string Version =>
        typeof(CourseInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
