using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DeepLearning.Course.Data;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Generative;

/// <summary>
/// A cache of trained models on disk, so a chapter can reuse the generators and the judge that earlier chapters train
/// instead of training them again. An entry is keyed by the model's name, a description of its data, its seed, a
/// description of its training recipe, and the course library's build (its module version id): change any of them and
/// the model is trained afresh. A chapter still runs on a fresh machine, where every lookup trains.
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models), for the DCGAN of chapter 07, the VAE of chapter 08 and chapter 07's
/// judge (<see cref="CourseGenerators"/>). Entries are <see cref="Checkpoint"/> files, written atomically (a temporary file
/// renamed into place), so an interrupted run never leaves half an entry. A damaged or mismatched entry is reported on
/// standard error, deleted and trained again. The folder is <c>$DLCOURSE_MODEL_HOME</c> if set, else
/// <c>$XDG_CACHE_HOME/deeplearning-course/models</c>, else <c>~/.cache/deeplearning-course/models</c>; delete it to start over.
/// </remarks>
public static class ModelCache
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string ModelHomeVariable = "DLCOURSE_MODEL_HOME";

    /// <summary>The cache folder (see the type's remarks): the datasets' folder rule with its own variable and subfolder.</summary>
    public static string Root =>
        DatasetPaths.ResolveCacheRoot(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ModelHomeVariable, "models");

    /// <summary>The course library's build: the module version id of this assembly, which every rebuild changes.</summary>
    public static string LibraryVersion => typeof(ModelCache).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>The file an entry lives in.</summary>
    /// <param name="name">The model's name (letters, digits, '-' and '_').</param>
    /// <param name="data">What it is trained on, e.g. <c>"fashion-mnist train[0..20000]"</c>.</param>
    /// <param name="seed">The seed of its initialisation and data order.</param>
    /// <param name="recipe">Its architecture and training settings, e.g. <c>"DCGAN 64/32/32, 24 epochs, Adam 2e-4"</c>.</param>
    /// <param name="root">The cache folder; <c>null</c> uses <see cref="Root"/>.</param>
    /// <returns>The path <c>root/name-hash.ckpt</c>.</returns>
    public static string PathFor(string name, string data, int seed, string recipe, string? root = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(recipe);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"Model name '{name}' may hold only ASCII letters, digits, '-' and '_' (it names a file).", nameof(name));
        var key = string.Join("\n", name, data, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), recipe, LibraryVersion);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16].ToLowerInvariant();
        return Path.Combine(root ?? Root, $"{name}-{hash}.ckpt");
    }

    /// <summary>
    /// Loads the model's weights from the cache if an entry with this key exists; otherwise calls <paramref name="train"/>
    /// and stores the trained weights. Either way the model ends in evaluation mode.
    /// </summary>
    /// <typeparam name="T">The model's type.</typeparam>
    /// <param name="model">A freshly built model of the right architecture.</param>
    /// <param name="name">The model's name (see <see cref="PathFor"/>).</param>
    /// <param name="data">What it is trained on.</param>
    /// <param name="seed">Its seed.</param>
    /// <param name="recipe">Its architecture and training settings.</param>
    /// <param name="train">Trains <paramref name="model"/> in place; runs only on a cache miss.</param>
    /// <param name="root">The cache folder; <c>null</c> uses <see cref="Root"/>.</param>
    /// <returns>What was done.</returns>
    public static CachedModel GetOrTrain<T>(T model, string name, string data, int seed, string recipe, Action<T> train, string? root = null)
        where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        var path = PathFor(name, data, seed, recipe, root);
        var clock = Stopwatch.StartNew();
        if (File.Exists(path))
        {
            try
            {
                Checkpoint.Load(model, path);
                model.eval();
                return new CachedModel(name, path, true, clock.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is InvalidDataException or CheckpointMismatchException or EndOfStreamException)
            {
                Console.Error.WriteLine($"warning: model cache entry '{path}' cannot be used ({e.Message}); deleting it and training {name} again.");
                File.Delete(path);
                clock.Restart();
            }
        }
        train(model);
        Checkpoint.Save(model, path);
        model.eval();
        return new CachedModel(name, path, false, clock.Elapsed.TotalSeconds);
    }
}
