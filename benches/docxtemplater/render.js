// docxtemplater renders the benchmark's 责任书, one .docx per unit, as its documentation shows:
// a new PizZip and Docxtemplater per document, paragraph loops, DEFLATE.
// node render.js TEMPLATE.docx DATA.json OUTDIR   (NODE_PATH names the node_modules folder)
'use strict';
const fs = require('fs');
const path = require('path');
const PizZip = require('pizzip');
const Docxtemplater = require('docxtemplater');

const [template, dataFile, out] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const content = fs.readFileSync(template, 'binary');
const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const numeral = (n) => (n <= 10 ? NUMERALS[n] : n < 20 ? '十' + NUMERALS[n - 10] : String(n));

fs.mkdirSync(out, { recursive: true });
const width = String(data.units.length).length;
data.units.forEach((u, i) => {
  const groups = data.groups[u.type].concat(u.duties.length ? [{ subject: '本单位重点责任', duties: u.duties }] : []);
  const view = Object.assign({}, data.common, {
    unit: u.name,
    type: u.type,
    leader: u.leader,
    leader_title: u.leader_title,
    signer: u.signer,
    sign: u.signed_by_supervisor ? '分管领导（签字）：' : '书记（签字）：',
    groups: groups.map((g, k) => ({
      number: `（${numeral(k + 1)}）`,
      subject: g.subject,
      duties: g.duties.map((d, j) => ({ n: j + 1, text: d })),
    })),
  });
  const doc = new Docxtemplater(new PizZip(content), { paragraphLoop: true, linebreaks: true });
  doc.render(view);
  const buf = doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.writeFileSync(path.join(out, `${String(i + 1).padStart(width, '0')}-${u.name}.docx`), buf);
});
