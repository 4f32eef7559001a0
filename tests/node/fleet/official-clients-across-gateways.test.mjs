// Must-show of the scale-out issue: two official peerpigeon@1.1.3 clients on two different gateways of one fleet
// (A on PEERPIGEON_URL, B on PEERPIGEON_URL_2) open a WebRTC data channel and exchange messages both ways. It is the
// official-clients test of tests/node/client, required here to run across two gateways.
process.env.PEERPIGEON_REQUIRE_TWO_GATEWAYS = '1';
await import('../client/two-official-clients.test.mjs');
