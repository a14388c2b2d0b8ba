# event: {}
def handler(event, context):
    remaining = context.get_remaining_time_in_millis()
    return {
        "name": context.function_name,
        "version": context.function_version,
        "arn": context.invoked_function_arn,
        "mem": context.memory_limit_in_mb,
        "req": context.aws_request_id,
        "group": context.log_group_name,
        "stream": context.log_stream_name,
        "remaining_ok": 0 < remaining <= 3000,
    }
