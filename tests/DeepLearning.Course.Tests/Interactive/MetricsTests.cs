using DeepLearning.Course.Interactive;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace DeepLearning.Course.Tests.Interactive;

public class MetricsTests
{
    [Fact]
    public void Record_displays_html_text_and_the_metrics_json_payload()
    {
        // When a chapter records a headline number
        var record = Metrics.Record("test_accuracy_metrics_test", 0.91);
        // Then it is displayed as HTML, plain text and the metrics MIME type the runner's report collects ...
        var shown = Kernel.Displayed.Single(d => ReferenceEquals(d.Value, record));
        Assert.Equal(["text/html", "text/plain", Metrics.MimeType], shown.MimeTypes);
        // ... its JSON payload is exactly {"name":...,"value":...}
        Assert.Equal("{\"name\":\"test_accuracy_metrics_test\",\"value\":0.91}", Formatter.ToDisplayString(record, Metrics.MimeType));
        Assert.Contains("test_accuracy_metrics_test", Formatter.ToDisplayString(record, "text/html"));
        Assert.Equal("metric test_accuracy_metrics_test = 0.91", Formatter.ToDisplayString(record, "text/plain"));
        // ... and it is remembered
        Assert.Equal(0.91, Metrics.Recorded["test_accuracy_metrics_test"]);
    }

    [Fact]
    public void A_later_record_of_the_same_name_wins()
    {
        Metrics.Record("perplexity_metrics_test", 12.5);
        Metrics.Record("perplexity_metrics_test", 9.25);
        Assert.Equal(9.25, Metrics.Recorded["perplexity_metrics_test"]);
    }

    [Fact]
    public void Non_finite_values_serialize_as_json_null()
    {
        Assert.Equal("{\"name\":\"x\",\"value\":null}", new MetricRecord("x", double.NaN).ToJson());
    }
}
