using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;
using NotebookRunner.Run;
using NotebookRunner.Site;

namespace NotebookRunner.Tests.Run;

/// <summary>The one reader of recorded metrics: the run's report and the site read a notebook's metrics with it.</summary>
public class MetricsReaderTests
{
    private static JsonObject Display(JsonNode? payload) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { ["text/plain"] = "metric", [MetricsFormat.MimeType] = payload },
        ["metadata"] = new JsonObject(),
    };

    private static NotebookDocument Notebook(params JsonObject[] outputs)
    {
        var doc = NotebookDocument.CreateCSharp();
        var cell = NotebookCell.CreateCode("Metrics.Record(...)");
        cell.Outputs.AddRange(outputs);
        doc.Cells.Add(cell);
        return doc;
    }

    [Fact]
    public void Reads_parsed_and_text_payloads_and_arrays_and_a_later_record_wins()
    {
        // Given the payload shapes frontends store: parsed JSON, JSON text, an array of records, a number as text
        var doc = Notebook(
            Display(JsonNode.Parse("""{"name":"test_accuracy","value":0.5}""")),
            Display(JsonValue.Create("""{"name":"train_loss","value":0.25}""")),
            Display(JsonNode.Parse("""[{"name":"f1","value":0.9},{"name":"steps","value":"42"}]""")),
            Display(JsonNode.Parse("""{"name":"test_accuracy","value":0.91}""")));

        // When
        var metrics = MetricsReader.Read(doc);

        // Then
        Assert.Equal(new Dictionary<string, double> { ["test_accuracy"] = 0.91, ["train_loss"] = 0.25, ["f1"] = 0.9, ["steps"] = 42 }, metrics);
    }

    [Fact]
    public void Skips_records_without_a_name_or_a_number_and_payloads_that_are_not_json()
    {
        // Given
        var doc = Notebook(
            Display(JsonValue.Create("{not json")),
            Display(JsonNode.Parse("""{"value":1}""")),
            Display(JsonNode.Parse("""{"name":"nan","value":null}""")),
            Display(JsonNode.Parse("""{"name":"word","value":"high"}""")),
            Display(JsonNode.Parse("""{"name":"kept","value":3}""")));

        // When
        var metrics = MetricsReader.Read(doc);

        // Then
        Assert.Equal(new Dictionary<string, double> { ["kept"] = 3 }, metrics);
    }

    [Fact]
    public void A_results_row_brings_its_label_text_and_published_anchors_and_stays_a_plain_metric_for_the_report()
    {
        // Given a row of a chapter's results table, as ChapterResults.Add records it, and a bare record
        var doc = Notebook(
            Display(JsonNode.Parse("""
                {"name":"cnn_test_accuracy","value":0.9134,"label":"modern CNN, test accuracy","text":"0.913",
                 "published":[{"id":"fashion-mnist-readme-2conv","value":"0.876–0.916","what":"2 conv + pooling, test accuracy","source":"README"}]}
                """)),
            Display(JsonNode.Parse("""{"name":"steps","value":42}""")));

        // When
        var records = MetricsReader.ReadRecords(doc);

        // Then
        Assert.Equal(2, records.Count);
        Assert.Equal(("cnn_test_accuracy", 0.9134, "modern CNN, test accuracy", "0.913"), (records[0].Name, records[0].Value, records[0].Label, records[0].Text));
        Assert.Equal(new PublishedAnchor("fashion-mnist-readme-2conv", "0.876–0.916", "2 conv + pooling, test accuracy", "README"), Assert.Single(records[0].Published));
        Assert.Equal(("steps", 42.0, (string?)null, (string?)null), (records[1].Name, records[1].Value, records[1].Label, records[1].Text));
        Assert.Empty(records[1].Published);
        Assert.Equal(new Dictionary<string, double> { ["cnn_test_accuracy"] = 0.9134, ["steps"] = 42 }, MetricsReader.Read(doc));
    }

    [Fact]
    public void The_site_reads_an_executed_notebook_with_the_same_reader()
    {
        // Given an executed notebook on disk
        var path = Path.Combine(Directory.CreateTempSubdirectory("metrics-reader").FullName, "01-metrics.ipynb");
        var doc = Notebook(Display(JsonNode.Parse("""{"name":"a","value":1}""")), Display(JsonValue.Create("""{"name":"a","value":2}""")));
        NotebookFile.SaveAtomically(doc, path);

        // When the site loads it
        var executed = ExecutedNotebook.Load(path);

        // Then it sees what the report sees
        Assert.Equal(MetricsReader.Read(NotebookFile.Load(path)), executed.Metrics);
        Assert.Equal(2, executed.Metrics["a"]);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void The_mime_type_is_the_one_the_library_writes_and_the_fixtures_hold()
    {
        Assert.Equal("application/vnd.deeplearning-course.metrics+json", MetricsFormat.MimeType);
    }
}
