// Ten official peerpigeon@1.1.3 meshes, alternately on the two gateways of one fleet (PEERPIGEON_URL and
// PEERPIGEON_URL_2), reach their connection targets and a broadcast reaches all of them: the ten-meshes test of
// tests/node/client, required here to run across two gateways.
process.env.PEERPIGEON_REQUIRE_TWO_GATEWAYS = '1';
await import('../client/ten-meshes.test.mjs');
