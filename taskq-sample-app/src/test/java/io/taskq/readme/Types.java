package io.taskq.readme;

import java.util.List;

record EmailRequest(String to, String subject) {
}

record ReportRequest(String customerId) {
}

record Report(String customerId, List<String> lines) {
}

record User(String id, String email) {
}
