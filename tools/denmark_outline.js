// Denmark (without the Faroes and Greenland) from Natural Earth's 1:10m countries as
// GeoJSON, coordinates rounded to 4 decimals (~10 m). Used by tools/vendor_map.sh.
const [clientDir, atlasFile] = process.argv.slice(2);
const topojson = require(`${clientDir}/dist/topojson-client.js`);
const world = require(atlasFile);
const denmark = world.objects.countries.geometries.find((g) => g.properties.name === "Denmark");
const feature = topojson.feature(world, denmark);
const round = (c) => (Array.isArray(c[0]) ? c.map(round) : c.map((x) => Math.round(x * 1e4) / 1e4));
feature.geometry.coordinates = round(feature.geometry.coordinates);
feature.properties = {
  name: "Danmark",
  source: "Natural Earth 1:10m Admin 0 countries (public domain), via npm world-atlas 2.0.2",
};
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features: [feature] }));
