using DeepLearning.Course.Data;
using Microsoft.Data.Analysis;

namespace DeepLearning.Course.Tests.Data;

public class TableTests
{
    private static string Fixture(string name) =>
        Path.Combine(DatasetPaths.FindRepositoryRoot(AppContext.BaseDirectory)!, "tests", "fixtures", "datasets", name);

    [Fact]
    public void Cars_load_as_a_DataFrame_with_numeric_columns_and_nulls_for_unknown_values()
    {
        // Given the committed cars.json (or python3-vega-datasets')
        TestData.RequireInstalled(DatasetCatalog.Cars, "the repository's datasets/cars or the apt package python3-vega-datasets");

        // When loaded
        var cars = Cars.Load();

        // Then it has the 406 cars and the documented columns, with unknown MPG/horsepower as nulls
        Assert.Equal(406, cars.Rows.Count);
        foreach (var name in new[] { "Name", "Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "Year", "Origin" })
            Assert.Contains(name, cars.Columns.Select(c => c.Name));
        Assert.IsType<DoubleDataFrameColumn>(cars["Horsepower"]);
        Assert.IsType<StringDataFrameColumn>(cars["Origin"]);
        Assert.Equal(8, cars["Miles_per_Gallon"].NullCount);
        Assert.Equal(6, cars["Horsepower"].NullCount);
        Assert.Equal(3504.0, cars["Weight_in_lbs"][0]);
        Assert.Equal("chevrolet chevelle malibu", cars["Name"][0]);
        // and dropping nulls leaves the 392 complete cars used for fitting
        Assert.Equal(392, cars.DropNulls().Rows.Count);
    }

    [Fact]
    public void JSON_records_become_typed_columns_with_nulls_for_null_and_missing_values()
    {
        // Given records with nulls, a late column and a nested value
        var table = Tables.LoadJsonRecords(Fixture("records-with-nulls.json"));

        // Then columns appear in first-seen order with inferred types and nulls
        Assert.Equal(["Name", "Mpg", "Flag", "Tags", "Extra"], table.Columns.Select(c => c.Name));
        Assert.IsType<DoubleDataFrameColumn>(table["Mpg"]);
        Assert.IsType<BooleanDataFrameColumn>(table["Flag"]);
        Assert.Null(table["Mpg"][1]);
        Assert.Equal(31.5, table["Mpg"][2]);
        Assert.Null(table["Name"][2]);
        Assert.Equal("[\"x\"]", table["Tags"][0]);
        Assert.Equal(2, table["Extra"].NullCount);
    }

    [Fact]
    public void JSON_that_is_not_an_array_of_records_fails_clearly()
    {
        var dir = TestData.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "bad.json");
            File.WriteAllText(path, "{\"a\": 1}");
            var error = Assert.Throws<DataFormatException>(() => Tables.LoadJsonRecords(path));
            Assert.Contains("expected a JSON array", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CSV_loads_with_typed_columns_and_empty_numeric_cells_as_nulls()
    {
        // Given a CSV with gaps
        var table = Tables.LoadCsv(Fixture("small-with-gaps.csv"));

        // Then numbers parse invariantly and empty cells are nulls
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(1.5f, Convert.ToSingle(table["x"][0]));
        Assert.Null(table["x"][1]);
        Assert.Null(table["y"][2]);
        Assert.Equal("c", table["label"][2]);
    }
}
