#include "core/data/ClassNames.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/util/Error.h"

namespace core {

std::vector<std::string> readNameList(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throwInFile(file.string(), "cannot open");
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        std::size_t b = 0;
        while (b < line.size() && std::isspace(static_cast<unsigned char>(line[b])))
            ++b;
        if (b < line.size()) names.push_back(line.substr(b));
    }
    return names;
}

std::vector<std::string> classNamesFor(const std::filesystem::path& dir, const std::string& name,
                                       int numClasses) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "classes.txt", ec)) {
        auto names = readNameList(dir / "classes.txt");
        if (int(names.size()) < numClasses)
            throwInFile((dir / "classes.txt").string(), "lists " + std::to_string(names.size()) +
                                                            " names but labels go up to " +
                                                            std::to_string(numClasses - 1));
        return names;
    }
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (lower.find("fashion") != std::string::npos)
        return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    std::vector<std::string> names;
    for (int c = 0; c < numClasses; ++c)
        names.push_back(std::to_string(c));
    return names;
}

} // namespace core
