package dev.kedge.edge.meta;

/**
 * MetaManager's counters since it started.
 *
 * @param rows          rows in {@code meta} now
 * @param stored        rows written (cloud objects, edge reports, remote answers)
 * @param stale         cloud objects older than the stored row: kept the stored one, acked
 * @param deleted       rows deleted
 * @param acks          acks sent to the cloud (after the commit)
 * @param failedWrites  writes that failed; a failed cloud write is not acked (the cloud resends)
 * @param remoteOk      remote operations the cloud answered
 * @param remoteFailed  remote operations that failed (offline, timeout, error answer, too many waiting)
 * @param localAnswers  queries answered from {@code meta}
 * @param toCloud       edge messages forwarded to the cloud
 * @param badMessages   messages refused: unparsable resource, unsupported operation
 * @param connected     whether the cloud link is up (EdgeHub's {@code node/connection} broadcasts)
 */
public record MetaStats(long rows, long stored, long stale, long deleted, long acks, long failedWrites, long remoteOk,
        long remoteFailed, long localAnswers, long toCloud, long badMessages, boolean connected) {
}
