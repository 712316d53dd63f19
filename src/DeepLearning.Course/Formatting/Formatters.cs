using DeepLearning.Course.Exercises;
using DeepLearning.Course.Interactive;
using DeepLearning.Course.Training;
using DeepLearning.Course.Visualization;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Registers the course's notebook formatters with <see cref="Formatter"/>: charts (<see cref="Figure"/>),
/// tensors, data frames, training histories, model summaries, image grids, progress boards,
/// metric records, chapter results tables and exercise verdicts, each with an HTML and a plain-text form.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): <see cref="Course.Setup"/> calls <see cref="Register"/>.</remarks>
public static class Formatters
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>True once <see cref="Register"/> has run.</summary>
    public static bool IsRegistered => _registered;

    /// <summary>Registers every formatter (idempotent; safe to call from each chapter).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
        }
        const string Html = "text/html";
        const string Plain = "text/plain";

        Formatter.Register<Figure>((chart, writer) => writer.Write(PlotlyHtml.ToHtml(chart)), Html);
        Formatter.Register<Figure>((chart, writer) => writer.Write(PlotlyHtml.ToPlainText(chart)), Plain);
        Formatter.Register<Tensor>((t, writer) => writer.Write(TensorHtml.ToHtml(t)), Html);
        Formatter.Register<Tensor>((t, writer) => writer.Write(TensorHtml.ToPlainText(t)), Plain);
        Formatter.Register<DataFrame>((f, writer) => writer.Write(DataFrameHtml.ToHtml(f)), Html);
        Formatter.Register<DataFrame>((f, writer) => writer.Write(DataFrameHtml.ToPlainText(f)), Plain);
        Formatter.Register<MetricRecord>((m, writer) => writer.Write(m.ToHtml()), Html);
        Formatter.Register<MetricRecord>((m, writer) => writer.Write(m.ToString()), Plain);
        Formatter.Register<MetricRecord>((m, writer) => writer.Write(m.ToJson()), Metrics.MimeType);
        Formatter.Register<History>((h, writer) => writer.Write(h.ToHtml()), Html);
        Formatter.Register<History>((h, writer) => writer.Write(h.ToString()), Plain);
        Formatter.Register<ModelSummary>((s, writer) => writer.Write(s.ToHtml()), Html);
        Formatter.Register<ModelSummary>((s, writer) => writer.Write(s.ToString()), Plain);
        Formatter.Register<ImageGrid>((g, writer) => writer.Write(g.ToHtml()), Html);
        Formatter.Register<ImageGrid>((g, writer) => writer.Write(g.ToString()), Plain);
        Formatter.Register<ProgressBoard>((b, writer) => writer.Write(b.ToHtml()), Html);
        Formatter.Register<ProgressBoard>((b, writer) => writer.Write(b.ToString()), Plain);
        Formatter.Register<ChapterResults>((r, writer) => writer.Write(r.ToHtml()), Html);
        Formatter.Register<ChapterResults>((r, writer) => writer.Write(r.ToString()), Plain);
        Formatter.Register<ExerciseVerdict>((v, writer) => writer.Write(v.ToHtml()), Html);
        Formatter.Register<ExerciseVerdict>((v, writer) => writer.Write(v.ToString()), Plain);
        Formatter.Register<ExerciseVerdict>((v, writer) => writer.Write(v.ToJson()), Platform.MetricsFormat.ExerciseMimeType);

        XPlotHtml.RegisterWhenLoaded();

        foreach (var type in new[] { typeof(Figure), typeof(Tensor), typeof(DataFrame), typeof(History), typeof(ModelSummary), typeof(ImageGrid), typeof(ProgressBoard), typeof(MetricRecord), typeof(ChapterResults), typeof(ExerciseVerdict) })
            Formatter.SetPreferredMimeTypesFor(type, Html, Plain);
    }
}
