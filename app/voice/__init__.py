"""The voice loop: microphone or WAV → VAD → faster-whisper → agent → streaming speech, with barge-in.

See pipeline.py for the API the UI uses and docs/voice.md for the architecture.
"""
