using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>
/// Image data augmentation with plain tensor operations on a whole batch <c>(B, C, H, W)</c>:
/// random horizontal flips and random crops of a zero-padded image. Randomness comes from torch's
/// generator, so <see cref="Course.Seed"/> makes it repeatable.
/// </summary>
/// <remarks>Introduced in chapter 03 (CNN), where both functions are written out in a cell first.</remarks>
public static class Augment
{
    /// <summary>Mirrors each image left-right with probability <paramref name="p"/>.</summary>
    /// <param name="images">A batch <c>(B, C, H, W)</c>.</param>
    /// <param name="p">Probability that an image is flipped.</param>
    /// <returns>A new batch of the same shape.</returns>
    public static Tensor RandomHorizontalFlip(Tensor images, double p = 0.5)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckBatch(images);
        using var scope = NewDisposeScope();
        var flip = rand(images.shape[0], device: images.device).lt(p).view(-1, 1, 1, 1); // (B, 1, 1, 1)
        return where(flip, images.flip(3), images).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pads each image with <paramref name="padding"/> zeros on every side and cuts a random
    /// <c>H x W</c> window out of it, so the content shifts by up to <paramref name="padding"/> pixels.
    /// </summary>
    /// <param name="images">A batch <c>(B, C, H, W)</c>.</param>
    /// <param name="padding">Zeros added on each side (the largest shift).</param>
    /// <returns>A new batch of the same shape.</returns>
    public static Tensor RandomCrop(Tensor images, int padding)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        CheckBatch(images);
        using var scope = NewDisposeScope();
        var (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var padded = nn.functional.pad(images, [padding, padding, padding, padding]);          // (B, C, H+2p, W+2p)
        var dy = randint(0, 2 * padding + 1, [b, 1], device: images.device);                   // (B, 1) top offsets
        var dx = randint(0, 2 * padding + 1, [b, 1], device: images.device);                   // (B, 1) left offsets
        var rows = (dy + arange(h, device: images.device)).view(b, 1, h, 1).expand(b, c, h, w + 2 * padding);
        var cols = (dx + arange(w, device: images.device)).view(b, 1, 1, w).expand(b, c, h, w);
        return padded.gather(2, rows).gather(3, cols).MoveToOuterDisposeScope();               // (B, C, H, W)
    }

    private static void CheckBatch(Tensor images)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"expected a batch (B, C, H, W); got [{string.Join(", ", images.shape)}]", nameof(images));
    }
}
