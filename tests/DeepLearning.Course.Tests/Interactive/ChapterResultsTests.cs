using DeepLearning.Course.Interactive;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace DeepLearning.Course.Tests.Interactive;

public class ChapterResultsTests
{
    private static ChapterResults Table(bool quick, double accuracy = 0.92, double diff = 3e-7) =>
        new ChapterResults(quick)
            .Add("results_test_accuracy", "CNN test accuracy", accuracy, Threshold.AtLeast(quick: 0.80, full: 0.91), published: "fashion-mnist-readme-2conv")
            .Add("results_test_diff", "conv from scratch vs conv2d", diff, Threshold.AtMost(1e-5))
            .Add("results_test_seconds", "training time (s)", 12.5);

    [Fact]
    public void Add_records_each_metric_with_its_name_and_value()
    {
        // When a chapter states its results
        var table = Table(quick: true);
        // Then every row was recorded through Metrics.Record, unchanged: name, value and the metrics MIME payload,
        // which also says what the number is and what it is compared with (for the rendered site)
        Assert.Equal(0.92, Metrics.Recorded["results_test_accuracy"]);
        Assert.Equal(3e-7, Metrics.Recorded["results_test_diff"]);
        Assert.Equal(12.5, Metrics.Recorded["results_test_seconds"]);
        var shown = Kernel.Displayed.Select(d => d.Value).OfType<MetricRecord>().Last(m => m.Name == "results_test_seconds");
        Assert.Equal("{\"name\":\"results_test_seconds\",\"value\":12.5,\"label\":\"training time (s)\",\"text\":\"12.5\",\"published\":[]}",
            Formatter.ToDisplayString(shown, Metrics.MimeType));
        var accuracy = Kernel.Displayed.Select(d => d.Value).OfType<MetricRecord>().Last(m => m.Name == "results_test_accuracy");
        Assert.StartsWith("{\"name\":\"results_test_accuracy\",\"value\":0.92,\"label\":\"CNN test accuracy\",\"text\":\"0.92",
            Formatter.ToDisplayString(accuracy, Metrics.MimeType));
        Assert.Contains(",\"published\":[{\"id\":\"fashion-mnist-readme-2conv\",\"value\":\"0.876–0.916\",\"what\":\"2 conv + pooling, test accuracy\",",
            Formatter.ToDisplayString(accuracy, Metrics.MimeType));
        Assert.Equal(["results_test_accuracy", "results_test_diff", "results_test_seconds"], table.Rows.Select(r => r.Metric));
    }

    [Fact]
    public void The_published_anchor_is_looked_up_with_its_source()
    {
        // Given a row that names an anchor
        var row = Table(quick: true).Rows[0];
        // Then the row carries the published value and where it comes from
        var anchor = Assert.Single(row.Published);
        Assert.Equal("0.876–0.916", anchor.Value);
        Assert.Contains("fashion-mnist README", anchor.Source);
    }

    [Fact]
    public void A_row_can_show_several_anchors()
    {
        var row = new ChapterResults(quick: false)
            .Add("results_test_two_anchors", "MLP test accuracy", 0.89, published: ["fashion-mnist-readme-mlp", "d2l-fashion-mlp-dropout"]).Rows[0];
        Assert.Equal(["0.883", "0.85"], row.Published.Select(p => p.Value));
        Assert.Contains("0.883 — MLP 256-128-100, test accuracy (zalandoresearch/fashion-mnist README", new ChapterResults(false).Add("results_test_two_anchors_b", "x", 1, published: ["fashion-mnist-readme-mlp", "d2l-fashion-mlp-dropout"]).ToString());
    }

    [Fact]
    public void An_unknown_anchor_is_an_error_that_lists_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() =>
            new ChapterResults(quick: true).Add("results_test_unknown", "x", 1, published: "no-such-paper"));
        Assert.Contains("no-such-paper", error.Message);
        Assert.Contains("fashion-mnist-readme-mlp", error.Message);
    }

    [Fact]
    public void A_metric_can_be_stated_only_once_per_table()
    {
        var table = new ChapterResults(quick: true).Add("results_test_twice", "x", 1);
        Assert.Throws<ArgumentException>(() => table.Add("results_test_twice", "x again", 2));
    }

    [Fact]
    public void Quick_mode_applies_the_quick_bounds_and_full_mode_the_full_ones()
    {
        // Given an accuracy of 0.85: above the quick bound 0.80, below the full bound 0.91
        var quick = Table(quick: true, accuracy: 0.85);
        var full = Table(quick: false, accuracy: 0.85);
        // Then quick mode passes and full mode fails that row only
        Assert.Equal("all 2 checked results meet their quick-mode thresholds (1 informational)", quick.Check());
        var failed = Assert.Single(full.Failures);
        Assert.Equal("results_test_accuracy", failed.Metric);
        Assert.Equal(["pass", "pass", "—"], quick.Rows.Select(r => r.Status(quick: true)));
        Assert.Equal(["FAIL", "pass", "—"], full.Rows.Select(r => r.Status(quick: false)));
    }

    [Fact]
    public void The_failure_lists_every_failed_row_with_mode_and_threshold_in_one_exception()
    {
        // Given two rows that miss their full-mode thresholds
        var table = Table(quick: false, accuracy: 0.85, diff: 2e-4);
        // When the chapter checks
        var error = Assert.Throws<ResultsCheckException>(() => table.Check());
        // Then one exception names both, with the mode, the value and the threshold (and the other mode's bound)
        Assert.Equal(2, error.Failed.Count);
        Assert.False(error.Quick);
        Assert.Equal(
            "2 results miss their full-mode thresholds:\n" +
            "  CNN test accuracy (results_test_accuracy) = 0.85; required in full mode: ≥ 0.91 (quick: ≥ 0.8)\n" +
            "  conv from scratch vs conv2d (results_test_diff) = 2e-04; required in full mode: ≤ 1e-05",
            error.Message);
    }

    [Fact]
    public void NaN_fails_every_threshold()
    {
        var table = Table(quick: true, accuracy: double.NaN);
        var error = Assert.Throws<ResultsCheckException>(() => table.Check());
        Assert.Equal("results_test_accuracy", Assert.Single(error.Failed).Metric);
    }

    [Fact]
    public void The_table_renders_as_html_and_plain_text_with_a_status_per_row()
    {
        // Given a full-mode table with one failing row
        var table = Table(quick: false, accuracy: 0.85);
        // When it is displayed
        var html = Formatter.ToDisplayString(table, "text/html");
        var text = Formatter.ToDisplayString(table, "text/plain");
        // Then both forms carry the summary, each row's value, threshold, status and the published anchor with its source
        Assert.StartsWith("<div class=\"dlc-results\">", html);
        Assert.Contains("Results (full mode): 1 of 2 checked results pass, 1 FAIL; 1 informational", html);
        Assert.Contains("≥ 0.91 (quick: ≥ 0.8)", html);
        Assert.Contains("FAIL", html);
        Assert.Contains("0.876–0.916 — 2 conv + pooling, test accuracy (zalandoresearch/fashion-mnist README", html);
        var lines = text.Split('\n');
        Assert.Equal("Results (full mode): 1 of 2 checked results pass, 1 FAIL; 1 informational", lines[0]);
        Assert.StartsWith("result", lines[1]);
        Assert.Matches(@"^CNN test accuracy\s+results_test_accuracy\s+0\.85\s+≥ 0\.91 \(quick: ≥ 0\.8\)\s+FAIL\s+0\.876–0\.916", lines[2]);
        Assert.Matches(@"^conv from scratch vs conv2d\s+results_test_diff\s+3e-07\s+≤ 1e-05\s+pass\s+—$", lines[3]);
        Assert.Matches(@"^training time \(s\)\s+results_test_seconds\s+12\.5\s+—\s+—\s+—$", lines[4]);
    }

    [Fact]
    public void Html_is_encoded()
    {
        var html = new ChapterResults(quick: true).Add("results_test_html", "a <b> & c", 1).ToHtml();
        Assert.Contains("a &lt;b&gt; &amp; c", html);
    }
}
