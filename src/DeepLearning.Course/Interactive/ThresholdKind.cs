namespace DeepLearning.Course.Interactive;

/// <summary>How a result is compared with its bound.</summary>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public enum ThresholdKind
{
    /// <summary>value ≥ bound.</summary>
    AtLeast,
    /// <summary>value ≤ bound.</summary>
    AtMost,
    /// <summary>value &gt; bound.</summary>
    Above,
    /// <summary>value &lt; bound.</summary>
    Below,
    /// <summary>|value − bound| ≤ tolerance.</summary>
    Within,
}
