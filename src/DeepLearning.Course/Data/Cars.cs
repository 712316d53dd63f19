using System.Text.Json;
using Microsoft.Data.Analysis;

namespace DeepLearning.Course.Data;

/// <summary>The cars table: 406 cars from 1970-1982 with fuel economy, engine and origin.</summary>
/// <remarks>Introduced in chapter 01 (basics): plot <c>Horsepower</c> against <c>Miles_per_Gallon</c>, fit a line.</remarks>
public static class Cars
{
    /// <summary>
    /// Loads <c>cars.json</c> as a <see cref="DataFrame"/> with columns <c>Name</c>, <c>Miles_per_Gallon</c>,
    /// <c>Cylinders</c>, <c>Displacement</c>, <c>Horsepower</c>, <c>Weight_in_lbs</c>, <c>Acceleration</c>,
    /// <c>Year</c> (ISO date string) and <c>Origin</c>. Numeric columns are doubles; the 8 unknown MPG and 6
    /// unknown horsepower values are nulls (use <c>DropNulls</c> before fitting).
    /// </summary>
    /// <param name="path">Folder holding <c>cars.json</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The table.</returns>
    public static DataFrame Load(string? path = null, DatasetLocator? locator = null) =>
        Tables.LoadJsonRecords((locator ?? new DatasetLocator()).Locate(DatasetCatalog.Cars, path).PathOf("cars.json"));
}
