namespace DeepLearning.Course.Generative;

/// <summary>What <see cref="ModelCache.GetOrTrain{T}"/> did: loaded a trained model from the cache, or trained and stored it.</summary>
/// <param name="Name">The model's name in the cache.</param>
/// <param name="Path">The cache file.</param>
/// <param name="FromCache">True when the weights were loaded, false when the model was trained now.</param>
/// <param name="Seconds">Seconds spent loading or training.</param>
/// <remarks>Introduced in chapter 09 (diffusion models).</remarks>
public sealed record CachedModel(string Name, string Path, bool FromCache, double Seconds)
{
    /// <summary>One line for the notebook: what was done and how long it took.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => FromCache
        ? $"{Name}: loaded from the model cache in {Seconds:F1} s ({System.IO.Path.GetFileName(Path)})"
        : $"{Name}: trained in {Seconds:F0} s and stored in the model cache ({System.IO.Path.GetFileName(Path)})";
}
