// The client speaks in the core's types (tasks, results, JSON), so a program that imports the
// client gets them too.
@_exported import DeepSearchCore
