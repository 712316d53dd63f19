using DeepLearning.Course.Platform;

namespace DeepLearning.Course.Platform.Tests;

/// <summary>Two hosts' metrics agree when the same names were recorded and every learned value is within 1e-9 × max(1, |v|).</summary>
public class MetricsAgreementTests
{
    [Fact]
    public void Values_agree_within_the_tolerance_relative_above_one_and_absolute_below()
    {
        // Given values a little apart
        // Then a difference of 1e-9 x max(1, |v|) agrees, twice that does not
        Assert.True(MetricsAgreement.Close(1000, 1000 + 1e-6));
        Assert.False(MetricsAgreement.Close(1000, 1000 + 2e-6));
        Assert.True(MetricsAgreement.Close(1e-12, 1e-12 + 1e-9));
        Assert.False(MetricsAgreement.Close(0.5, 0.5 + 2e-9));
        Assert.True(MetricsAgreement.Close(double.NaN, double.NaN));
    }

    [Fact]
    public void Differences_name_missing_metrics_and_values_apart_but_not_wall_times()
    {
        // Given the course runner's metrics and another host's, with a wall time far apart, one value apart and one name on each side only
        var course = new Dictionary<string, double> { ["test_accuracy"] = 0.91, ["train_loss"] = 0.25, ["chapter_seconds"] = 12, ["only_course"] = 1 };
        var other = new Dictionary<string, double> { ["test_accuracy"] = 0.91, ["train_loss"] = 0.2500001, ["chapter_seconds"] = 25, ["only_other"] = 1 };

        // When they are compared
        var lines = MetricsAgreement.Differences(course, other, "course", "dotnet-interactive");

        // Then each disagreement is one line, and the wall time is not among them
        Assert.Equal(["only_course: only in course", "only_other: only in dotnet-interactive", "train_loss: course 0.25, dotnet-interactive 0.2500001"], lines);
        Assert.True(MetricsAgreement.IsWallTime("chapter_seconds"));
        Assert.Empty(MetricsAgreement.Differences(course, course, "a", "b"));
    }
}
