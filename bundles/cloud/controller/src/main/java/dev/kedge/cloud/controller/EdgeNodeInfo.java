package dev.kedge.cloud.controller;

/**
 * One edge node as the EdgeController sees it.
 *
 * @param edge        the node carries the edge label in the API server
 * @param connected   CloudHub reported it connected (and not disconnected since)
 * @param podsSent    pods whose current version was handed to CloudHub (or already acked before a restart)
 * @param podsAcked   of those, how many the node acked at that version; -1 without an ObjectSync ledger
 * @param objectsSent configmaps and secrets handed to CloudHub
 */
public record EdgeNodeInfo(String node, boolean edge, boolean connected, int podsSent, int podsAcked, int objectsSent) {
}
