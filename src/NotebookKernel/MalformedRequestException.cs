namespace NotebookKernel;

/// <summary>A correctly signed request whose content has a field of the wrong type; answered with an error reply.</summary>
public sealed class MalformedRequestException(string message) : Exception(message);
