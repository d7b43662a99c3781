"""Front ends over the backends: botocore glue, the real AWS CLI in-process, boto3 sessions.

These import botocore/awscli; nothing in the plain backend imports this package.
"""
