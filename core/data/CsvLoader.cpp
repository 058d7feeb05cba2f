#include "core/data/CsvLoader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/util/Error.h"
#include "core/util/FileBytes.h"

namespace core {

namespace {

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    std::string out(s.substr(b, e - b));
    if (out.size() >= 2 && out.front() == '"' && out.back() == '"')
        out = out.substr(1, out.size() - 2);
    return out;
}

std::vector<std::string> splitRow(std::string_view line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i < line.size() && line[i] == '"') quoted = !quoted;
        if (i == line.size() || (line[i] == ',' && !quoted)) {
            cells.push_back(trim(line.substr(start, i - start)));
            start = i + 1;
        }
    }
    return cells;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool parseNumber(const std::string& cell, double& out) {
    if (cell.empty()) return false;
    const char* b = cell.data();
    const char* e = b + cell.size();
    if (*b == '+') ++b;
    auto [ptr, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && ptr == e;
}

} // namespace

Dataset parseCsv(const std::string& text, const std::string& name, const LoadControl& control) {
    Dataset ds;
    ds.format = "csv";
    ds.source = name;
    std::vector<std::pair<std::size_t, std::string_view>> lines; // (1-based line number, text)
    std::size_t pos = 0, lineNo = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++lineNo;
        std::string_view line(text.data() + pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!trim(line).empty() && line.front() != '#') lines.emplace_back(lineNo, line);
        pos = end + 1;
    }
    if (lines.empty()) throwInFile(name, "CSV has no rows");

    // A header is a first row with any non-numeric cell.
    auto first = splitRow(lines[0].second);
    const std::size_t cols = first.size();
    bool header = false;
    for (const auto& c : first) {
        double d;
        header = header || !parseNumber(c, d);
    }
    int labelCol = int(cols) - 1, splitCol = -1;
    if (header) {
        labelCol = -1;
        for (std::size_t c = 0; c < cols; ++c) {
            const auto h = lower(first[c]);
            if (labelCol < 0 && (h == "label" || h == "class" || h == "y")) labelCol = int(c);
            if (h == "split") splitCol = int(c);
        }
        if (labelCol < 0) labelCol = int(cols) - 1 - (splitCol == int(cols) - 1 ? 1 : 0);
    }
    const int featureCols = int(cols) - 1 - (splitCol >= 0 ? 1 : 0);
    if (featureCols < 1)
        throwAtLine(name, lines[0].first,
                    "CSV needs at least one feature column and a label column");
    ds.featureDim = featureCols;

    struct Row {
        std::string label;
        bool test;
    };
    std::vector<Row> rows;
    std::vector<float> features;
    const std::size_t start = header ? 1 : 0;
    if (lines.size() <= start) throwInFile(name, "CSV has a header but no data rows");
    features.reserve((lines.size() - start) * std::size_t(featureCols));
    for (std::size_t r = start; r < lines.size(); ++r) {
        if ((r & 1023) == 0) {
            control.check();
            control.report(r, lines.size());
        }
        const auto cells = splitRow(lines[r].second);
        if (cells.size() != cols)
            throwAtLine(name, lines[r].first,
                        "has " + std::to_string(cells.size()) + " cells, expected " +
                            std::to_string(cols));
        Row row{cells[std::size_t(labelCol)], false};
        if (row.label.empty()) throwAtLine(name, lines[r].first, "empty label");
        if (splitCol >= 0) {
            const auto s = lower(cells[std::size_t(splitCol)]);
            if (s == "test")
                row.test = true;
            else if (s != "train")
                throwAtLine(name, lines[r].first,
                            "split must be 'train' or 'test', got '" +
                                cells[std::size_t(splitCol)] + "'");
        }
        for (std::size_t c = 0; c < cols; ++c) {
            if (int(c) == labelCol || int(c) == splitCol) continue;
            double v;
            if (!parseNumber(cells[c], v))
                throwAtLine(name, lines[r].first,
                            "column " + std::to_string(c + 1) + ": '" + cells[c] +
                                "' is not a number");
            if (!std::isfinite(v))
                throwAtLine(name, lines[r].first,
                            "column " + std::to_string(c + 1) + ": value is NaN or infinite");
            features.push_back(float(v));
        }
        rows.push_back(std::move(row));
    }

    // Integer labels keep numeric order, names are sorted.
    bool integers = true;
    for (const auto& r : rows) {
        double d;
        integers = integers && parseNumber(r.label, d) && d == std::floor(d) && std::fabs(d) < 1e9;
    }
    std::map<std::string, std::int64_t> ids;
    if (integers) {
        std::set<long long> values;
        for (const auto& r : rows) {
            double d;
            parseNumber(r.label, d);
            values.insert((long long)d);
        }
        for (auto v : values) {
            ids[std::to_string(v)] = std::int64_t(ds.classNames.size());
            ds.classNames.push_back(std::to_string(v));
        }
    } else {
        std::set<std::string> names;
        for (const auto& r : rows)
            names.insert(r.label);
        for (const auto& n : names) {
            ids[n] = std::int64_t(ds.classNames.size());
            ds.classNames.push_back(n);
        }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::string key = rows[i].label;
        if (integers) {
            double d;
            parseNumber(key, d);
            key = std::to_string((long long)d);
        }
        Split& s = rows[i].test ? ds.test : ds.train;
        s.labels.push_back(ids[key]);
        s.features.insert(s.features.end(),
                          features.begin() + std::ptrdiff_t(i * std::size_t(featureCols)),
                          features.begin() + std::ptrdiff_t((i + 1) * std::size_t(featureCols)));
    }
    if (ds.train.size() == 0) throwInFile(name, "no rows with split 'train'");
    ds.validate();
    return ds;
}

Dataset loadCsv(const std::filesystem::path& file, const LoadControl& control) {
    const Bytes bytes = readFile(file);
    if (bytes.empty()) throwInFile(file.string(), "file is empty");
    if (std::find(bytes.begin(), bytes.end(), std::uint8_t(0)) != bytes.end())
        throwInFile(file.string(), "binary content, not a CSV text file");
    Dataset ds = parseCsv(std::string(bytes.begin(), bytes.end()), file.string(), control);
    ds.name = file.stem().string();
    return ds;
}

} // namespace core
