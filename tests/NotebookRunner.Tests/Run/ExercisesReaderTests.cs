using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;
using NotebookRunner.Run;

namespace NotebookRunner.Tests.Run;

/// <summary>The one reader of exercise verdicts: the report lists each notebook's verdicts with it.</summary>
public class ExercisesReaderTests
{
    private static JsonObject Display(JsonNode? payload) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { ["text/plain"] = "verdict", [MetricsFormat.ExerciseMimeType] = payload },
        ["metadata"] = new JsonObject(),
    };

    [Fact]
    public void Reads_verdicts_in_order_of_first_appearance_and_a_later_check_of_the_same_id_wins()
    {
        // Given verdicts as parsed JSON and as text, 01.1 checked twice, and records the reader must skip
        var doc = NotebookDocument.CreateCSharp();
        var first = NotebookCell.CreateCode("Chapter01Exercises.A(a);");
        first.Outputs.Add(Display(JsonNode.Parse("""{"id":"01.1","title":"a","solved":false,"message":"not started"}""")));
        first.Outputs.Add(Display(JsonValue.Create("""{"id":"01.2","title":"b","solved":true,"message":"right"}""")));
        var second = NotebookCell.CreateCode("Chapter01Exercises.A(a);");
        second.Outputs.Add(Display(JsonNode.Parse("""{"id":"01.1","title":"a","solved":true,"message":"all 3 cases"}""")));
        second.Outputs.Add(Display(JsonNode.Parse("""{"title":"no id","solved":true}""")));
        second.Outputs.Add(Display(JsonNode.Parse("""{"id":"01.3","solved":"yes"}""")));
        second.Outputs.Add(Display(JsonValue.Create("{not json")));
        doc.Cells.AddRange([first, second]);

        // When
        var verdicts = ExercisesReader.Read(doc);

        // Then
        Assert.Equal([new ExerciseRecord("01.1", "a", true, "all 3 cases"), new ExerciseRecord("01.2", "b", true, "right")], verdicts);
    }

    [Fact]
    public void Metrics_and_verdicts_in_one_notebook_are_read_apart()
    {
        // Given one cell that shows a metric and a verdict
        var doc = NotebookDocument.CreateCSharp();
        var cell = NotebookCell.CreateCode("...");
        cell.Outputs.Add(Display(JsonNode.Parse("""{"id":"02.1","title":"t","solved":false,"message":"m"}""")));
        cell.Outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { [MetricsFormat.MimeType] = JsonNode.Parse("""{"name":"acc","value":0.5}""") } });
        doc.Cells.Add(cell);

        // When / Then
        Assert.Equal(new Dictionary<string, double> { ["acc"] = 0.5 }, MetricsReader.Read(doc));
        Assert.Equal("02.1", Assert.Single(ExercisesReader.Read(doc)).Id);
    }
}
