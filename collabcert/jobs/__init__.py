"""The job layer: one engine function per user job, used by both faces.

Each job (inspect, convert, match, csr, import, bundle, trust list, lint, MRA) is one function in
a module of this package that takes plain inputs (paths, loaded files, options) and returns a
frozen dataclass: what was read, the chain, the files it would write (collabcert.files
.PlannedFile), the findings, the next steps, and `blocked` (why writing must not go on; "" when
it may). The CLI verb parses arguments, calls the job, prints the result and writes the planned
files; the TUI flow keeps what the person typed and picked, calls the same job and shows the
result. So a pipeline (read, build the chain, check, plan) is assembled once, and the two faces
cannot drift apart: what differs between them is only how they ask and how they show.
"""
