using DeepLearning.Course.Data;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Data;

public class AugmentTests
{
    [Fact]
    public void Flipping_with_probability_one_mirrors_every_image_and_zero_leaves_it()
    {
        // Given a batch of distinct images
        manual_seed(0);
        using var x = rand(3, 2, 5, 7);
        // When flipped with p = 1 and p = 0
        using var all = Augment.RandomHorizontalFlip(x, p: 1);
        using var none = Augment.RandomHorizontalFlip(x, p: 0);
        // Then p = 1 reverses the width axis and p = 0 changes nothing
        Assert.True(all.eq(x.flip(3)).all().item<bool>());
        Assert.True(none.eq(x).all().item<bool>());
    }

    [Fact]
    public void Random_flips_mirror_some_images_and_keep_the_others()
    {
        // Given 200 random images
        manual_seed(1);
        using var x = rand(200, 1, 4, 4);
        // When half of them are flipped on average
        using var y = Augment.RandomHorizontalFlip(x);
        // Then every image is either itself or its mirror, and both kinds occur
        var flipped = 0;
        for (var i = 0; i < 200; i++)
        {
            var same = y[i].eq(x[i]).all().item<bool>();
            var mirrored = y[i].eq(x[i].flip(2)).all().item<bool>();
            Assert.True(same || mirrored);
            if (mirrored) flipped++;
        }
        Assert.InRange(flipped, 60, 140);
    }

    [Fact]
    public void Random_crops_keep_the_shape_and_shift_the_content_by_at_most_the_padding()
    {
        // Given images that are all ones, and padding 2
        manual_seed(0);
        using var x = ones(50, 1, 8, 8);
        // When cropped
        using var y = Augment.RandomCrop(x, 2);
        // Then the shape is kept, the pixel sum drops only by the zero border that slid in (at most 2 rows and 2 columns) ...
        Assert.Equal(x.shape, y.shape);
        var sums = y.sum([1, 2, 3]);
        Assert.True(sums.ge(6 * 6).all().item<bool>(), "more than the padding was shifted in");
        // ... some images moved, and with padding 0 nothing changes
        Assert.True(sums.lt(64).any().item<bool>());
        using var same = Augment.RandomCrop(x, 0);
        Assert.True(same.eq(x).all().item<bool>());
    }

    [Fact]
    public void A_crop_is_a_shifted_copy_of_the_image()
    {
        // Given one image with a single bright pixel in the middle
        manual_seed(3);
        using var x = zeros(20, 1, 9, 9);
        x[.., .., 4, 4] = tensor(1f);
        // When cropped with padding 2
        using var y = Augment.RandomCrop(x, 2);
        // Then the bright pixel is still there exactly once, moved by at most 2 in each direction
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(1f, y[i].sum().item<float>());
            var at = y[i].flatten().argmax().item<long>();
            var (r, c) = (at / 9, at % 9);
            Assert.InRange(r, 2, 6);
            Assert.InRange(c, 2, 6);
        }
    }
}
