using System.Text;
using DeepLearning.Course.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// A grid of images from a tensor batch, each encoded as PNG and shown inline as
/// <c>&lt;img src="data:image/png;base64,..."&gt;</c> with an optional caption (e.g. the label,
/// or "predicted / actual").
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), to look at the 8×8 digits; reused for Fashion-MNIST (02), CNN filters (03) and GAN samples (07).</remarks>
public sealed class ImageGrid
{
    private ImageGrid(IReadOnlyList<byte[]> images, IReadOnlyList<string> captions, int width, int height, int columns, int scale)
    {
        Images = images;
        Captions = captions;
        Width = width;
        Height = height;
        Columns = columns;
        Scale = scale;
    }

    /// <summary>One PNG file per image.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>One caption per image (empty strings when none were given).</summary>
    public IReadOnlyList<string> Captions { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Images per row.</summary>
    public int Columns { get; }

    /// <summary>Display magnification (nearest-neighbour).</summary>
    public int Scale { get; }

    /// <summary>
    /// Builds a grid from <c>[N, C, H, W]</c> (C = 1 or 3), <c>[N, H, W]</c> or a single <c>[H, W]</c> image.
    /// Floating-point pixels in [0, 1] are used as they are; other ranges are min-max scaled over the batch.
    /// </summary>
    /// <param name="images">The image batch.</param>
    /// <param name="captions">Optional caption per image.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="scale">Display magnification.</param>
    /// <returns>The grid.</returns>
    public static ImageGrid From(Tensor images, IEnumerable<string>? captions = null, int columns = 8, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var batch = images.detach().cpu();
        if (batch.dim() == 2) batch = batch.unsqueeze(0);
        if (batch.dim() == 3) batch = batch.unsqueeze(1);
        if (batch.dim() != 4) throw new ArgumentException($"ImageGrid expects [N, C, H, W], [N, H, W] or [H, W]; got [{string.Join(", ", images.shape)}].");
        var (n, c, h, w) = ((int)batch.shape[0], (int)batch.shape[1], (int)batch.shape[2], (int)batch.shape[3]);
        if (c is not (1 or 3)) throw new ArgumentException($"ImageGrid expects 1 or 3 channels, got {c}.");
        Tensor bytes;
        if (batch.dtype == ScalarType.Byte) bytes = batch;
        else
        {
            var f = batch.to_type(ScalarType.Float32);
            var (lo, hi) = (f.min().item<float>(), f.max().item<float>());
            if (lo < 0 || hi > 1) f = (f - lo) / Math.Max(hi - lo, 1e-12f);
            bytes = (f * 255).round().clamp(0, 255).to_type(ScalarType.Byte);
        }
        var hwc = bytes.permute(0, 2, 3, 1).contiguous(); // (N, H, W, C)
        var all = hwc.data<byte>().ToArray();
        var size = h * w * c;
        var pngs = Enumerable.Range(0, n).Select(i => PngEncoder.Encode(all.AsSpan(i * size, size), w, h, c)).ToList();
        var caps = (captions ?? []).Take(n).ToList();
        while (caps.Count < n) caps.Add("");
        return new ImageGrid(pngs, caps, w, h, Math.Max(1, columns), Math.Max(1, scale));
    }

    /// <summary>The grid as HTML: inline PNG images in rows of <see cref="Columns"/>, captions below.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var html = new StringBuilder($"<div class=\"dlc-image-grid\" style=\"display:grid;grid-template-columns:repeat({Columns}, max-content);gap:6px\">");
        for (var i = 0; i < Images.Count; i++)
        {
            html.Append("<figure style=\"margin:0;text-align:center\"><img style=\"image-rendering:pixelated\" width=\"").Append(Width * Scale)
                .Append("\" height=\"").Append(Height * Scale).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(Images[i])).Append("\"/>");
            if (Captions[i].Length > 0)
                html.Append("<figcaption style=\"font:11px monospace\">").Append(PlotlyHtml.Encode(Captions[i])).Append("</figcaption>");
            html.Append("</figure>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>Plain text: the number and size of the images and their captions.</summary>
    /// <returns>One or two lines.</returns>
    public override string ToString()
    {
        var text = $"ImageGrid: {Images.Count} images {Width}x{Height}";
        return Captions.Any(c => c.Length > 0) ? text + "\n" + string.Join(" | ", Captions) : text;
    }
}
