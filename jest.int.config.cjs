module.exports = require('./jest.preset.cjs')('int');
